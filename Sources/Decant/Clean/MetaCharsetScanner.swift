/// Finds a charset declared inside the document: `<meta charset>`, `<meta http-equiv content>`
/// or an XML declaration, in the first 16 KiB (a prescan, as browsers do, a little wider).
enum MetaCharsetScanner {
    static let window = 16 * 1024

    static func scan(_ bytes: UnsafeRawBufferPointer) -> String? {
        let n = min(bytes.count, window)
        guard n > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let b = UnsafeBufferPointer(start: base, count: n)
        if let xml = xmlDeclarationEncoding(b) { return xml }
        var i = 0
        while i + 5 < n {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            if lower(b[i + 1]) == UInt8(ascii: "m"), lower(b[i + 2]) == UInt8(ascii: "e"),
               lower(b[i + 3]) == UInt8(ascii: "t"), lower(b[i + 4]) == UInt8(ascii: "a") {
                var end = i + 5
                while end < n, b[end] != UInt8(ascii: ">") { end += 1 }
                let tag = String(decoding: b[(i + 5)..<end], as: UTF8.self).lowercased()
                if let cs = charset(inMetaTag: tag) { return cs }
                i = end
            } else {
                i += 1
            }
        }
        return nil
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    /// The charset of one meta tag's attribute text (already lower-cased).
    static func charset(inMetaTag tag: String) -> String? {
        if let r = tag.range(of: "charset") {
            var rest = tag[r.upperBound...].drop(while: { $0 == " " })
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\"" || $0 == "'" })
            let value = rest.prefix(while: { !" \"';/>".contains($0) })
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    static func xmlDeclarationEncoding(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard b.count > 5, b[0] == UInt8(ascii: "<"), b[1] == UInt8(ascii: "?"), b[2] == UInt8(ascii: "x") else { return nil }
        var end = 0
        while end < min(b.count, 200), b[end] != UInt8(ascii: ">") { end += 1 }
        let decl = String(decoding: b[0..<end], as: UTF8.self).lowercased()
        guard let r = decl.range(of: "encoding") else { return nil }
        let rest = decl[r.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" })
        let value = rest.prefix(while: { !" \"'?".contains($0) })
        return value.isEmpty ? nil : String(value)
    }
}
