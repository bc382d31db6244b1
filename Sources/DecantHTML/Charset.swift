import CUchardet

/// The character-set decision for a page's bytes: BOM, then a charset the caller
/// passes (HTTP header), then the HTML prescan of `<meta>`, then UTF-8 validity, then a statistical guess.
public struct Charset: Sendable, Equatable, CustomStringConvertible {
    /// The encoding decided on.
    public let encoding: WebEncoding
    /// Where the decision came from.
    public let source: Source
    /// Bytes to skip at the start (a byte-order mark).
    public let bomLength: Int
    /// The decision already found every byte valid UTF-8, so the transcoder need not check again.
    package let bytesAreValidUTF8: Bool

    public enum Source: String, Sendable { case bom, declared, meta, utf8Valid, detected, fallback }

    /// The encoding's name in the WHATWG Encoding Standard (`UTF-8`, `windows-1251`, `Shift_JIS`, ...).
    public var name: String { encoding.name }

    public var description: String { "\(name) (\(source.rawValue))" }

    public init(encoding: WebEncoding, source: Source, bomLength: Int = 0) {
        self.init(encoding: encoding, source: source, bomLength: bomLength, bytesAreValidUTF8: false)
    }

    package init(encoding: WebEncoding, source: Source, bomLength: Int = 0, bytesAreValidUTF8: Bool) {
        self.encoding = encoding
        self.source = source
        self.bomLength = bomLength
        self.bytesAreValidUTF8 = bytesAreValidUTF8
    }

    /// Equal decisions: the same encoding from the same source (validity is a cached fact).
    public static func == (a: Charset, b: Charset) -> Bool {
        a.encoding == b.encoding && a.source == b.source && a.bomLength == b.bomLength
    }

    /// Decides the encoding of `bytes`; `declared` is a charset label from outside the document (HTTP header).
    public static func decide(_ bytes: UnsafeRawBufferPointer, declared: String? = nil) -> Charset {
        if let bom = fromBOM(bytes) { return bom }
        let census = UTF8Validation.census(bytes)
        // Declarations are taken unless the bytes contradict them: a declared UTF-8 that is not
        // UTF-8, or a declared legacy encoding over text that can only be UTF-8 (both are common
        // server and template mistakes).
        func accept(_ encoding: WebEncoding) -> Bool {
            encoding == .utf8 ? census.isLikelyUTF8 : !census.isCertainlyUTF8
        }
        let valid = census.isValid
        if let declared, let encoding = WebEncoding(label: declared), accept(encoding) {
            return Charset(encoding: encoding, source: .declared, bytesAreValidUTF8: valid)
        }
        if let encoding = MetaCharsetScanner.scan(bytes), accept(encoding) {
            return Charset(encoding: encoding, source: .meta, bytesAreValidUTF8: valid)
        }
        if census.isLikelyUTF8 { return Charset(encoding: .utf8, source: .utf8Valid, bytesAreValidUTF8: valid) }
        if let guess = CharsetDetector.detect(bytes).flatMap(detectedEncoding) {
            return Charset(encoding: guess, source: .detected)
        }
        return Charset(encoding: .windows1252, source: .fallback)
    }

    /// The BOM sniff of the Encoding Standard: UTF-8, UTF-16BE or UTF-16LE.
    package static func fromBOM(_ b: UnsafeRawBufferPointer) -> Charset? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return Charset(encoding: .utf8, source: .bom, bomLength: 3) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return Charset(encoding: .utf16be, source: .bom, bomLength: 2) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return Charset(encoding: .utf16le, source: .bom, bomLength: 2) }
        return nil
    }

    /// The encoding for a detector's guess: its name read as a label (or one of `detectorAliases`);
    /// nil for UTF-8 (already ruled out), and for guesses that are not ASCII-compatible or are `replacement`.
    package static func detectedEncoding(_ guess: String) -> WebEncoding? {
        guard let encoding = WebEncoding(label: guess) ?? detectorAliases[guess.lowercased()] else { return nil }
        switch encoding {
        case .utf8, .replacement, .utf16be, .utf16le, .xUserDefined: return nil
        default: return encoding
        }
    }

    /// uchardet's names that are not labels of the Encoding Standard but name one of its encodings.
    package static let detectorAliases: [String: WebEncoding] = [
        "mac-cyrillic": .xMacCyrillic,
        "maccyrillic": .xMacCyrillic,
    ]
}

/// A statistical charset guess (uchardet) for bytes that declare nothing and are not UTF-8.
package final class CharsetDetector {
    private let handle: uchardet_t

    private init?() {
        guard let h = uchardet_new() else { return nil }
        handle = h
    }

    deinit { uchardet_delete(handle) }

    /// Guesses from at most the first 256 KiB; nil when the detector cannot tell.
    package static func detect(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let detector = CharsetDetector(), let base = bytes.baseAddress else { return nil }
        let n = min(bytes.count, 256 * 1024)
        _ = uchardet_handle_data(detector.handle, base.assumingMemoryBound(to: CChar.self), n)
        uchardet_data_end(detector.handle)
        guard let name = uchardet_get_charset(detector.handle) else { return nil }
        let s = String(cString: name)
        return s.isEmpty || s == "ASCII" ? nil : s
    }
}
