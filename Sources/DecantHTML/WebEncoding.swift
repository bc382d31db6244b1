/// An encoding of the WHATWG Encoding Standard, named as the standard names it (`Shift_JIS`, `windows-1251`).
///
/// Labels map to encodings through the standard's table (`WebEncoding+Labels.swift`); how each one is
/// decoded is the transcoder's business (`Transcoder.iconvNames`).
public enum WebEncoding: String, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    case ibm866 = "IBM866"
    case iso8859_2 = "ISO-8859-2"
    case iso8859_3 = "ISO-8859-3"
    case iso8859_4 = "ISO-8859-4"
    case iso8859_5 = "ISO-8859-5"
    case iso8859_6 = "ISO-8859-6"
    case iso8859_7 = "ISO-8859-7"
    case iso8859_8 = "ISO-8859-8"
    case iso8859_8i = "ISO-8859-8-I"
    case iso8859_10 = "ISO-8859-10"
    case iso8859_13 = "ISO-8859-13"
    case iso8859_14 = "ISO-8859-14"
    case iso8859_15 = "ISO-8859-15"
    case iso8859_16 = "ISO-8859-16"
    case koi8r = "KOI8-R"
    case koi8u = "KOI8-U"
    case macintosh = "macintosh"
    case windows874 = "windows-874"
    case windows1250 = "windows-1250"
    case windows1251 = "windows-1251"
    case windows1252 = "windows-1252"
    case windows1253 = "windows-1253"
    case windows1254 = "windows-1254"
    case windows1255 = "windows-1255"
    case windows1256 = "windows-1256"
    case windows1257 = "windows-1257"
    case windows1258 = "windows-1258"
    case xMacCyrillic = "x-mac-cyrillic"
    case gbk = "GBK"
    case gb18030 = "gb18030"
    case big5 = "Big5"
    case eucJP = "EUC-JP"
    case iso2022JP = "ISO-2022-JP"
    case shiftJIS = "Shift_JIS"
    case eucKR = "EUC-KR"
    /// The labels of ISO-2022-KR, HZ and ISO-2022-CN: the whole input decodes to one U+FFFD.
    case replacement = "replacement"
    case utf16be = "UTF-16BE"
    case utf16le = "UTF-16LE"
    /// Bytes 0x80–0xFF decode to U+F780–U+F7FF.
    case xUserDefined = "x-user-defined"

    /// The encoding's name in the Encoding Standard.
    public var name: String { rawValue }

    /// The encoding `label` names ("get an encoding"): ASCII whitespace around it is ignored and
    /// letters compare ASCII case-insensitively; nil when the label names no encoding.
    public init?(label: some StringProtocol) {
        self.init(labelBytes: Array(label.utf8))
    }

    /// The same as `init(label:)` for a label given as bytes (as the HTML prescan finds them).
    package init?(labelBytes bytes: some Collection<UInt8>) {
        var label = Array(bytes)
        while let last = label.last, Self.isASCIIWhitespace(last) { label.removeLast() }
        let start = label.firstIndex(where: { !Self.isASCIIWhitespace($0) }) ?? label.endIndex
        label.removeSubrange(..<start)
        guard label.count <= Self.longestLabel else { return nil }
        for i in label.indices where label[i] >= 0x41 && label[i] <= 0x5A { label[i] |= 0x20 }
        guard let text = String(validating: label, as: UTF8.self), let encoding = Self.byLabel[text] else { return nil }
        self = encoding
    }

    /// ASCII whitespace of the Infra Standard: TAB, LF, FF, CR, SPACE.
    @inline(__always) package static func isASCIIWhitespace(_ b: UInt8) -> Bool {
        b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D || b == 0x20
    }

    /// Every label of the table, lower-case, to its encoding.
    package static let byLabel: [String: WebEncoding] = {
        var map: [String: WebEncoding] = [:]
        for (encoding, labels) in labelTable {
            for label in labels { map[label] = encoding }
        }
        return map
    }()

    package static let longestLabel: Int = labelTable.lazy.flatMap(\.labels).map(\.utf8.count).max() ?? 0
}
