import CIDN2

/// Internationalised host names in their ASCII (punycode) form, by UTS #46 non-transitional
/// processing as browsers do, through libidn2 (the library libcurl uses for the same job).
public enum IDNA {
    /// Why a URL has no ASCII form.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// libidn2 refused the host name; `reason` is its message for `code`.
        case invalidHost(host: String, code: Int32, reason: String)

        public var description: String {
            switch self {
            case .invalidHost(let host, _, let reason): "host name '\(host)' has no ASCII form: \(reason)"
            }
        }
    }

    /// Longest host name converted (bytes); DNS names are at most 253, so this bounds the work only.
    public static let maxHostBytes = 1024

    /// The ASCII form of `host` (`bücher.example` → `xn--bcher-kva.example`); an ASCII host comes back as is.
    public static func asciiHost(_ host: String) -> Result<String, Failure> {
        guard host.utf8.contains(where: { $0 >= 0x80 }) else { return .success(host) }
        guard host.utf8.count <= maxHostBytes else {
            return .failure(.invalidHost(host: String(host.prefix(80)), code: Int32(IDN2_TOO_BIG_DOMAIN.rawValue),
                                         reason: "longer than \(maxHostBytes) bytes"))
        }
        var output: UnsafeMutablePointer<CChar>?
        let flags = Int32(IDN2_NFC_INPUT.rawValue | IDN2_NONTRANSITIONAL.rawValue)
        let code = idn2_to_ascii_8z(host, &output, flags)
        defer { if let output { idn2_free(output) } }
        guard code == Int32(IDN2_OK.rawValue), let output else {
            let reason = idn2_strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return .failure(.invalidHost(host: host, code: code, reason: reason))
        }
        return .success(String(cString: output))
    }

    /// `url` with its host in ASCII form and the non-ASCII characters of its user info, path, query and
    /// fragment percent-encoded as UTF-8 (as browsers send them). An ASCII URL comes back as is, and so
    /// does one without `//` authority (`mailto:`) or with an IP literal (`[::1]`).
    public static func asciiURL(_ url: String) -> Result<String, Failure> {
        guard url.utf8.contains(where: { $0 >= 0x80 }) else { return .success(url) }
        guard let sep = url.range(of: "://") else { return .success(percentEncoded(url)) }
        let rest = url[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var userInfo = ""
        if let at = authority.lastIndex(of: "@") {
            userInfo = percentEncoded(String(authority[...at]))
            authority = authority[authority.index(after: at)...]
        }
        var host = authority, port = Substring("")
        if !authority.hasPrefix("["), let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[colon...]
        }
        let ascii: String
        switch asciiHost(String(host)) {
        case .success(let converted): ascii = converted
        case .failure(let failure): return .failure(failure)
        }
        return .success(String(url[..<sep.upperBound]) + userInfo + ascii + port
                        + percentEncoded(String(rest[authorityEnd...])))
    }

    /// Percent-encodes the bytes of `text` at or above 0x80 (upper-case hex).
    static func percentEncoded(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        for b in text.utf8 {
            if b < 0x80 { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
