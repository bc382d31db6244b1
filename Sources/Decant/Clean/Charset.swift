import CUchardet

/// The character-set decision for a page's bytes: BOM, then a charset the caller
/// passes (HTTP header), then `<meta>`, then UTF-8 validity, then a statistical guess.
public struct Charset: Sendable, Equatable, CustomStringConvertible {
    /// The encoding's canonical name, as iconv knows it (`UTF-8`, `WINDOWS-1251`, `SHIFT_JIS`, ...).
    public let name: String
    /// Where the decision came from.
    public let source: Source
    /// Bytes to skip at the start (a byte-order mark).
    public let bomLength: Int
    /// The decision already found every byte valid UTF-8, so the transcoder need not check again.
    let bytesAreValidUTF8: Bool

    public enum Source: String, Sendable { case bom, declared, meta, utf8Valid, detected, fallback }

    public var description: String { "\(name) (\(source.rawValue))" }

    public init(name: String, source: Source, bomLength: Int = 0) {
        self.init(name: name, source: source, bomLength: bomLength, bytesAreValidUTF8: false)
    }

    init(name: String, source: Source, bomLength: Int = 0, bytesAreValidUTF8: Bool) {
        self.name = name
        self.source = source
        self.bomLength = bomLength
        self.bytesAreValidUTF8 = bytesAreValidUTF8
    }

    /// Equal decisions: the same encoding from the same source (validity is a cached fact).
    public static func == (a: Charset, b: Charset) -> Bool {
        a.name == b.name && a.source == b.source && a.bomLength == b.bomLength
    }

    /// Decides the encoding of `bytes`; `declared` is a charset from outside the document (HTTP header).
    public static func decide(_ bytes: UnsafeRawBufferPointer, declared: String? = nil) -> Charset {
        if let bom = fromBOM(bytes) { return bom }
        let census = UTF8Validation.census(bytes)
        // Declarations are taken unless the bytes contradict them: a declared UTF-8 that is not
        // UTF-8, or a declared legacy encoding over text that can only be UTF-8 (both are common
        // server and template mistakes).
        func accept(_ label: String) -> Bool {
            label == "UTF-8" ? census.isLikelyUTF8 : !census.isCertainlyUTF8
        }
        let valid = census.isValid
        if let declared, let label = normalizedLabel(declared), accept(label) {
            return Charset(name: label, source: .declared, bytesAreValidUTF8: valid)
        }
        if let meta = MetaCharsetScanner.scan(bytes), let label = normalizedLabel(meta), accept(label) {
            return Charset(name: label, source: .meta, bytesAreValidUTF8: valid)
        }
        if census.isLikelyUTF8 { return Charset(name: "UTF-8", source: .utf8Valid, bytesAreValidUTF8: valid) }
        if let guess = CharsetDetector.detect(bytes), let label = normalizedLabel(guess), label != "UTF-8" {
            return Charset(name: label, source: .detected)
        }
        return Charset(name: "WINDOWS-1252", source: .fallback)
    }

    static func fromBOM(_ b: UnsafeRawBufferPointer) -> Charset? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return Charset(name: "UTF-8", source: .bom, bomLength: 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return Charset(name: "UTF-16LE", source: .bom, bomLength: 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return Charset(name: "UTF-16BE", source: .bom, bomLength: 2) }
        return nil
    }

    /// Maps a charset label to the encoding a browser would use (WHATWG Encoding), named for iconv.
    /// Returns nil for labels that are not encodings.
    public static func normalizedLabel(_ label: String) -> String? {
        var l = label.lowercased()
        l = String(l.filter { !$0.isWhitespace && $0 != "\"" && $0 != "'" })
        if l.isEmpty { return nil }
        if let mapped = labelTable[l] { return mapped }
        if l.hasPrefix("windows-") || l.hasPrefix("iso-8859-") || l.hasPrefix("cp") || l.hasPrefix("koi8") {
            return l.uppercased()
        }
        return nil
    }

    /// WHATWG label → iconv name. Latin-1 and ASCII mean windows-1252; GB2312/GBK read as GB18030;
    /// UTF-16 declared inside an ASCII-compatible document means UTF-8.
    static let labelTable: [String: String] = {
        var t: [String: String] = [:]
        for l in ["utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode", "x-unicode20utf8"] { t[l] = "UTF-8" }
        for l in ["us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1", "cp1252", "windows-1252",
                  "x-cp1252", "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "iso88591"] { t[l] = "WINDOWS-1252" }
        for l in ["cp1251", "windows-1251", "x-cp1251", "win-1251"] { t[l] = "WINDOWS-1251" }
        for l in ["cp1250", "windows-1250", "x-cp1250"] { t[l] = "WINDOWS-1250" }
        for l in ["gb2312", "gbk", "gb18030", "x-gbk", "cp936", "chinese", "csgb2312", "euc-cn", "iso-ir-58"] { t[l] = "GB18030" }
        for l in ["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "ms932", "cp932"] { t[l] = "CP932" }
        for l in ["euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"] { t[l] = "EUC-JP" }
        for l in ["iso-2022-jp", "csiso2022jp"] { t[l] = "ISO-2022-JP" }
        for l in ["euc-kr", "ks_c_5601-1987", "korean", "windows-949", "cp949", "ksc5601", "csksc56011987"] { t[l] = "CP949" }
        for l in ["big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"] { t[l] = "BIG5-HKSCS" }
        for l in ["koi8-r", "koi8r", "koi", "koi8", "cskoi8r"] { t[l] = "KOI8-R" }
        for l in ["koi8-u", "koi8-ru"] { t[l] = "KOI8-U" }
        for l in ["tis-620", "iso-8859-11", "windows-874", "dos-874"] { t[l] = "WINDOWS-874" }
        for l in ["iso-8859-9", "latin5", "windows-1254", "cp1254"] { t[l] = "WINDOWS-1254" }
        for l in ["iso-8859-2", "latin2", "iso8859-2"] { t[l] = "ISO-8859-2" }
        for l in ["iso-8859-15", "latin9", "iso8859-15"] { t[l] = "ISO-8859-15" }
        for l in ["iso-8859-5", "cyrillic"] { t[l] = "ISO-8859-5" }
        for l in ["iso-8859-7", "greek", "windows-1253"] { t[l] = l == "windows-1253" ? "WINDOWS-1253" : "ISO-8859-7" }
        for l in ["windows-1255", "cp1255"] { t[l] = "WINDOWS-1255" }
        for l in ["windows-1256", "cp1256"] { t[l] = "WINDOWS-1256" }
        for l in ["windows-1257", "cp1257"] { t[l] = "WINDOWS-1257" }
        for l in ["windows-1258", "cp1258"] { t[l] = "WINDOWS-1258" }
        for l in ["iso-8859-8", "iso-8859-8-i", "visual", "hebrew"] { t[l] = "ISO-8859-8" }
        for l in ["iso-8859-6", "arabic"] { t[l] = "ISO-8859-6" }
        for l in ["iso-8859-4", "latin4"] { t[l] = "ISO-8859-4" }
        for l in ["iso-8859-13"] { t[l] = "ISO-8859-13" }
        for l in ["macintosh", "mac", "x-mac-roman"] { t[l] = "MACINTOSH" }
        for l in ["x-user-defined"] { t[l] = "WINDOWS-1252" }
        return t
    }()
}

/// A statistical charset guess (uchardet) for bytes that declare nothing and are not UTF-8.
final class CharsetDetector {
    private let handle: uchardet_t

    private init?() {
        guard let h = uchardet_new() else { return nil }
        handle = h
    }

    deinit { uchardet_delete(handle) }

    /// Guesses from at most the first 256 KiB; nil when the detector cannot tell.
    static func detect(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let detector = CharsetDetector(), let base = bytes.baseAddress else { return nil }
        let n = min(bytes.count, 256 * 1024)
        _ = uchardet_handle_data(detector.handle, base.assumingMemoryBound(to: CChar.self), n)
        uchardet_data_end(detector.handle)
        guard let name = uchardet_get_charset(detector.handle) else { return nil }
        let s = String(cString: name)
        return s.isEmpty || s == "ASCII" ? nil : s
    }
}
