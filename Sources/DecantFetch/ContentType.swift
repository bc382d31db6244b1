import Foundation

/// A parsed `Content-Type` header, and the rule for which bodies go on to the cleaner.
package struct ContentType: Sendable, Equatable {
    /// The media type, lower-cased, without parameters (`text/html`).
    package var mediaType: String
    /// The `charset` parameter, unquoted, if any.
    package var charset: String?

    /// Parses `text/html; charset="windows-1251"`; nil for an empty value.
    package init?(header: String) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let type = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard !type.isEmpty else { return nil }
        mediaType = type
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let name = part[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            guard name == "charset" else { continue }
            var value = part[part.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if !value.isEmpty { charset = value }
        }
    }

    /// HTML and XHTML go on to the cleaner; nothing else does.
    package var isHTML: Bool {
        mediaType == "text/html" || mediaType == "application/xhtml+xml"
    }

    /// XML, JSON, plain text or an opaque/gzip body: a type a feed, sitemap or robots.txt may come as
    /// (the body decides, `SourceDocument.read`).
    package var mayBeSource: Bool {
        let m = mediaType
        return m == "text/xml" || m == "application/xml" || m.hasSuffix("+xml") || m == "application/json"
            || m.hasSuffix("+json") || ["text/plain", "application/octet-stream", "binary/octet-stream",
                                        "application/gzip", "application/x-gzip", "application/unknown"].contains(m)
    }

    /// True when a body sent without a content type starts like an HTML document
    /// (the WHATWG MIME sniffing patterns for HTML, after a UTF-8 BOM and whitespace).
    package static func looksLikeHTML(_ body: Data) -> Bool {
        let head = body.prefix(1024)
        var i = head.startIndex
        if head.count >= 3, head[i] == 0xEF, head[i + 1] == 0xBB, head[i + 2] == 0xBF { i += 3 }
        while i < head.endIndex, [0x09, 0x0A, 0x0C, 0x0D, 0x20].contains(head[i]) { i += 1 }
        guard i < head.endIndex, head[i] == UInt8(ascii: "<") else { return false }
        let rest = head[i...]
        for tag in htmlStarts {
            let t = Array(tag.utf8)
            guard rest.count > t.count else { continue }
            let candidate = rest.prefix(t.count)
            guard zip(candidate, t).allSatisfy({ lower($0) == $1 }) else { continue }
            let next = rest[rest.startIndex + t.count]
            if tag == "<!--" || next == 0x20 || next == UInt8(ascii: ">") || next == 0x0A || next == 0x09 || next == 0x0D {
                return true
            }
        }
        return false
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    private static let htmlStarts = [
        "<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table", "<a",
        "<style", "<title", "<b", "<body", "<br", "<p", "<!--", "<meta", "<link",
    ]
}
