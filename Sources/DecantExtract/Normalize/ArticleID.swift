import Foundation
import DecantCore

/// The id of an article, which is also its file name in out/: the hash of the URL that was asked
/// for (the final URL after redirects), normalised. Never a URL the page names itself (its
/// canonical link is kept as data), so no page can choose which article file it replaces.
public enum ArticleID {
    /// The id of the page at `url`.
    public static func of(url: String) -> String { Fingerprint.hash(normalized(url)) }

    /// The id of a page at `url`, else (no URL known: stdin) its text `fingerprint`.
    public static func of(url: String?, fingerprint: String) -> String {
        guard let url, !url.isEmpty else { return fingerprint }
        return of(url: url)
    }

    /// The id of a saved page read from `path` without a `--url`: the id of its `file://` URL.
    public static func of(filePath path: String) -> String {
        of(url: URL(fileURLWithPath: path).standardizedFileURL.absoluteString)
    }

    /// `url` in one spelling: scheme and host lower-cased, default port, user info and fragment
    /// dropped, dot segments removed, `/` for an empty path, percent escapes upper-cased.
    public static func normalized(_ url: String) -> String {
        guard let parts = URLResolver.parse(URLResolver.clean(url)) else { return url.trimmingCharacters(in: .whitespaces) }
        var out = parts.scheme + ":"
        var path = upperPercentEscapes(URLResolver.removeDotSegments(parts.path))
        if var authority = parts.authority {
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            authority = authority.lowercased()
            let port = [("http", ":80"), ("https", ":443")].first { $0.0 == parts.scheme }?.1
            if let port, authority.hasSuffix(port) { authority.removeLast(port.count) }
            out += "//" + authority
            if path.isEmpty { path = "/" }
        }
        out += path
        if let query = parts.query, !query.isEmpty { out += "?" + upperPercentEscapes(query) }
        return out
    }

    private static func upperPercentEscapes(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes = Array(s.utf8)
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                for j in i + 1...i + 2 where bytes[j] >= 97 && bytes[j] <= 102 { bytes[j] -= 32 }
                i += 3
            } else {
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
