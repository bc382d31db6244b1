/// The HTML Standard's "prescan a byte stream to determine its encoding" (§13.2.3.2) over the first
/// 1024 bytes, with "get an attribute", the `<meta>` pragma rules and "get an XML encoding".
///
/// Comments, end tags, `<!…>`/`<?…>` and the attributes of other tags are skipped as the standard
/// says, so a `charset=` inside a comment or another attribute's value is not taken; a `<meta>` whose
/// label names no encoding is passed over for the next one. Running out of bytes anywhere ends it.
package enum MetaCharsetScanner {
    /// The standard's suggested end condition: the first 1024 bytes.
    package static let window = 1024

    /// The encoding the page declares in its first `window` bytes, or nil.
    package static func scan(_ bytes: UnsafeRawBufferPointer) -> WebEncoding? {
        let n = min(bytes.count, window)
        guard n > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let input = UnsafeBufferPointer(start: base, count: n)
        var prescan = Prescan(input)
        if let found = prescan.run() { return found }
        return xmlEncoding(input)
    }

    /// One run of the prescan; `position` moves forward only, so the work is linear in the window.
    package struct Prescan {
        package let b: UnsafeBufferPointer<UInt8>
        package var position = 0

        package init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

        /// The bytes ran out: the prescan is aborted (and the XML declaration asked instead).
        package struct OutOfBytes: Error {}

        /// The declared encoding, or nil when the bytes ran out first.
        package mutating func run() -> WebEncoding? {
            // UTF-16 XML declarations ('<?x' in UTF-16LE or BE).
            if starts(with: [0x3C, 0x00, 0x3F, 0x00, 0x78, 0x00]) { return .utf16le }
            if starts(with: [0x00, 0x3C, 0x00, 0x3F, 0x00, 0x78]) { return .utf16be }
            do {
                while position < b.count {
                    if let found = try step() { return found }
                    position += 1  // "next byte"
                }
            } catch {}
            return nil
        }

        /// The loop's body for the byte at `position`; leaves `position` on the last byte it consumed.
        package mutating func step() throws(OutOfBytes) -> WebEncoding? {
            guard b[position] == 0x3C else { return nil }  // any other byte: nothing
            if starts(with: Self.commentStart) {
                // Up to the first '>' preceded by "--" after the '<' (the dashes of "<!--" count).
                var i = position + 3
                while true {
                    i += 1
                    guard i < b.count else { throw OutOfBytes() }
                    if b[i] == 0x3E, b[i - 1] == 0x2D, b[i - 2] == 0x2D { position = i; return nil }
                }
            }
            if isMetaStart() {
                position += 5  // at the space or slash after "<meta"
                return try meta()
            }
            let next = try byte(at: position + 1)
            let letter = next == 0x2F ? position + 2 : position + 1
            if Self.isASCIILetter(try byte(at: letter)) {
                // A start or end tag: skip its name, then its attributes.
                while !Self.isSpace(b[position]) && b[position] != 0x3E {
                    position += 1
                    guard position < b.count else { throw OutOfBytes() }
                }
                while try attribute() != nil {}
                return nil
            }
            if next == 0x21 || next == 0x2F || next == 0x3F {
                // "<!", "</", "<?": up to the first '>' after the '<'.
                var i = position + 1
                while true {
                    i += 1
                    guard i < b.count else { throw OutOfBytes() }
                    if b[i] == 0x3E { position = i; return nil }
                }
            }
            return nil
        }

        /// "<meta" (any case) followed by a space or a slash.
        package func isMetaStart() -> Bool {
            guard position + 5 < b.count else { return false }
            let name: [UInt8] = [0x6D, 0x65, 0x74, 0x61]  // "meta"
            for k in 0..<4 where b[position + 1 + k] | 0x20 != name[k] { return false }
            let after = b[position + 5]
            return Self.isSpace(after) || after == 0x2F
        }

        /// The attributes of one `<meta>`, then its processing step.
        package mutating func meta() throws(OutOfBytes) -> WebEncoding? {
            var seen: [[UInt8]] = []
            var gotPragma = false
            var needPragma: Bool?
            /// nil: not yet set; .some(nil): a label that names no encoding ("failure").
            var charset: WebEncoding??
            while let (name, value) = try attribute() {
                if seen.contains(name) { continue }
                seen.append(name)
                switch name {
                case Self.httpEquiv:
                    if value == Self.contentType { gotPragma = true }
                case Self.content:
                    if charset == nil, let found = Self.encodingFromContent(value) {
                        charset = .some(found)
                        needPragma = true
                    }
                case Self.charset:
                    charset = .some(WebEncoding(labelBytes: value))
                    needPragma = false
                default:
                    break
                }
            }
            // Processing.
            guard let needPragma, !(needPragma && !gotPragma), case .some(.some(let encoding)) = charset else {
                return nil
            }
            switch encoding {
            case .utf16be, .utf16le: return .utf8
            case .xUserDefined: return .windows1252
            default: return encoding
            }
        }

        /// "Get an attribute": its name and value, lower-cased, or nil when there is none (at '>').
        package mutating func attribute() throws(OutOfBytes) -> (name: [UInt8], value: [UInt8])? {
            while Self.isSpace(try byte(at: position)) || b[position] == 0x2F { position += 1 }
            if b[position] == 0x3E { return nil }
            var name: [UInt8] = [], value: [UInt8] = []
            // Name.
            while true {
                let c = try byte(at: position)
                if c == 0x3D && !name.isEmpty {
                    position += 1
                    return (name, try attributeValue())
                }
                if Self.isSpace(c) { break }
                if c == 0x2F || c == 0x3E { return (name, value) }
                name.append(Self.lower(c))
                position += 1
            }
            // Spaces.
            while Self.isSpace(try byte(at: position)) { position += 1 }
            if b[position] != 0x3D { return (name, value) }
            position += 1
            return (name, try attributeValue())
        }

        /// The "value" steps of "get an attribute", from just after the '='.
        package mutating func attributeValue() throws(OutOfBytes) -> [UInt8] {
            var value: [UInt8] = []
            while Self.isSpace(try byte(at: position)) { position += 1 }
            let first = b[position]
            if first == 0x22 || first == 0x27 {
                while true {
                    position += 1
                    let c = try byte(at: position)
                    if c == first { position += 1; return value }
                    value.append(Self.lower(c))
                }
            }
            if first == 0x3E { return value }
            value.append(Self.lower(first))
            position += 1
            while true {
                let c = try byte(at: position)
                if Self.isSpace(c) || c == 0x3E { return value }
                value.append(Self.lower(c))
                position += 1
            }
        }

        package func byte(at i: Int) throws(OutOfBytes) -> UInt8 {
            guard i < b.count else { throw OutOfBytes() }
            return b[i]
        }

        package func starts(with prefix: [UInt8]) -> Bool {
            guard position + prefix.count <= b.count else { return false }
            for k in prefix.indices where b[position + k] != prefix[k] { return false }
            return true
        }

        package static let commentStart = Array("<!--".utf8), httpEquiv = Array("http-equiv".utf8)
        package static let contentType = Array("content-type".utf8), content = Array("content".utf8)
        package static let charset = Array("charset".utf8)

        /// TAB, LF, FF, CR, SPACE: the prescan's whitespace (not VT).
        @inline(__always) package static func isSpace(_ c: UInt8) -> Bool { WebEncoding.isASCIIWhitespace(c) }
        @inline(__always) package static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        @inline(__always) package static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

        /// "Extracting a character encoding from a meta element" for a `content` value (already lower-cased).
        package static func encodingFromContent(_ s: [UInt8]) -> WebEncoding? {
            let word = charset
            var position = 0
            while true {
                // Loop: the next "charset" at or after position.
                guard let found = find(word, in: s, from: position) else { return nil }
                var i = found + word.count
                while i < s.count, isSpace(s[i]) { i += 1 }
                if i < s.count, s[i] == 0x3D { position = i + 1; break }
                position = i
            }
            while position < s.count, isSpace(s[position]) { position += 1 }
            guard position < s.count else { return nil }
            let c = s[position]
            if c == 0x22 || c == 0x27 {
                guard let close = s[(position + 1)...].firstIndex(of: c) else { return nil }  // unmatched quote
                return WebEncoding(labelBytes: s[(position + 1)..<close])
            }
            let end = s[position...].firstIndex(where: { isSpace($0) || $0 == 0x3B }) ?? s.count
            return WebEncoding(labelBytes: s[position..<end])
        }

        package static func find(_ needle: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
            var i = start
            while i + needle.count <= hay.count {
                if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
                i += 1
            }
            return nil
        }
    }

    /// "Get an XML encoding": the quoted `encoding` of an XML declaration at the very start
    /// (UTF-16 read as UTF-8), or nil.
    package static func xmlEncoding(_ b: UnsafeBufferPointer<UInt8>) -> WebEncoding? {
        guard b.count >= 5, b.prefix(5).elementsEqual("<?xml".utf8),
              let end = b.firstIndex(of: 0x3E) else { return nil }
        let declaration = Array(b[..<end])
        guard let found = Prescan.find(Array("encoding".utf8), in: declaration, from: 0) else { return nil }
        var i = found + 8
        while i < end, declaration[i] <= 0x20 { i += 1 }
        guard i < end, declaration[i] == 0x3D else { return nil }
        i += 1
        while i < end, declaration[i] <= 0x20 { i += 1 }
        guard i < end, declaration[i] == 0x22 || declaration[i] == 0x27 else { return nil }
        let quote = declaration[i]
        i += 1
        guard let close = declaration[i...].firstIndex(of: quote) else { return nil }
        let label = declaration[i..<close]
        guard !label.contains(where: { $0 <= 0x20 }), let encoding = WebEncoding(labelBytes: label) else { return nil }
        return encoding == .utf16be || encoding == .utf16le ? .utf8 : encoding
    }
}
