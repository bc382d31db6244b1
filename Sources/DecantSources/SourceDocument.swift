import DecantCore
import DecantExtract
import DecantFetch
import Foundation

/// A fetched body read as what it is: a page for the cleaner, or a feed or sitemap to expand into URLs.
///
/// Detection uses the override first, then the content type, then the body: gzip magic bytes, a
/// JSON object with a JSON Feed `version`, or the XML root element (by namespace URI).
public enum SourceDocument: Sendable, Equatable {
    /// Not a source: hand the body to the page cleaner as before.
    case page
    case feed(Feed)
    case sitemap(Sitemap)

    /// The kind this document turned out to be.
    public var kind: SourceKind {
        switch self {
        case .page: .page
        case .feed: .feed
        case .sitemap: .sitemap
        }
    }

    /// Reads `body`, served as `contentType` from `url` (the base for relative links).
    ///
    /// Without an override, anything not recognised as a feed or sitemap is `.page` (an HTML content
    /// type is never parsed here), and malformed XML is an error only when the content type says XML.
    /// With `override` `.feed` or `.sitemap`, the body must be that kind or this throws.
    public static func read(_ body: Data, contentType: String? = nil, url: String? = nil,
                            override: SourceKind? = nil, limits: SourceLimits = .standard) throws(SourceError)
        -> SourceDocument {
        if override == .page { return .page }
        let type = contentType.flatMap(ContentType.init(header:))
        var bytes = body
        var compressed = false
        if Gzip.isGzip(body) {
            if body.count > limits.bytes { throw .tooLarge(limit: limits.bytes) }
            do {
                bytes = try Gzip.decompress(body, limit: limits.bytes)
            } catch {
                switch error {
                case .tooLarge: throw .tooLarge(limit: limits.bytes)
                case .corrupt(let reason): throw .corruptCompression(reason: reason)
                }
            }
            compressed = true
            // A compressed page (`.html.gz`) is still a page.
            if override == nil, ContentType.looksLikeHTML(bytes) { return .page }
        } else if override == nil {
            if let type, type.isHTML { return .page }
            if type == nil, ContentType.looksLikeHTML(body) { return .page }
            if let type, !MediaClass(type).mayBeSource { return .page }
        }
        let media = compressed ? MediaClass.neutral : type.map(MediaClass.init) ?? .neutral
        if bytes.count > limits.bytes { throw .tooLarge(limit: limits.bytes) }
        if bytes.isEmpty {
            if override != nil { throw .empty }
            return .page
        }

        let result: SourceDocument
        switch firstSignificantByte(bytes) {
        case UInt8(ascii: "<"):
            result = try readXML(bytes, url: url, strict: override != nil || compressed || media == .xml,
                                 limits: limits)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            result = try readJSON(bytes, url: url, strict: override != nil || media == .json, limits: limits)
        default:
            if isRobotsTxt(url), override != .feed {
                result = .sitemap(SitemapReader.robots(bytes, url: url, limits: limits))
            } else if override == .sitemap {
                result = .sitemap(SitemapReader.text(bytes, limits: limits))
            } else if override == .feed {
                throw .notMarkup
            } else {
                result = .page
            }
        }
        if let override, result.kind != override {
            if result.kind == .page { throw .notMarkup }
            throw .wrongKind(expected: override, found: result.kind)
        }
        return result
    }

    /// XML: a feed or sitemap by its root element; other roots are a page unless `strict`.
    private static func readXML(_ bytes: Data, url: String?, strict: Bool, limits: SourceLimits) throws(SourceError)
        -> SourceDocument {
        let tree: XMLTree
        do {
            tree = try XMLTree(bytes: bytes, url: url)
        } catch {
            if strict { throw error }
            return .page
        }
        guard let root = tree.root else {
            if strict { throw .empty }
            return .page
        }
        if let format = FeedReader.format(of: root) {
            return .feed(FeedReader.read(root, format: format, limits: limits))
        }
        if let format = SitemapReader.format(of: root) {
            return .sitemap(SitemapReader.read(root, format: format, limits: limits))
        }
        if strict && !root.is("html", in: XMLNamespace.xhtml) {
            throw .unknownRoot(name: root.name, namespace: root.namespace)
        }
        return .page
    }

    /// JSON: a JSON Feed by its `version`; other JSON is a page unless `strict`.
    private static func readJSON(_ bytes: Data, url: String?, strict: Bool, limits: SourceLimits) throws(SourceError)
        -> SourceDocument {
        let object: Any
        do {
            object = try JSONFeedReader.object(bytes)
        } catch {
            if strict { throw error }
            return .page
        }
        guard JSONFeedReader.isJSONFeed(object) else {
            if strict { throw .notJSONFeed }
            return .page
        }
        return .feed(JSONFeedReader.read(object, url: url, limits: limits))
    }

    /// The first byte after a UTF-8 byte-order mark and whitespace; `<` for a UTF-16 byte-order mark.
    static func firstSignificantByte(_ bytes: Data) -> UInt8? {
        var i = bytes.startIndex
        if bytes.count >= 2, (bytes[i] == 0xFE && bytes[i + 1] == 0xFF) || (bytes[i] == 0xFF && bytes[i + 1] == 0xFE) {
            return UInt8(ascii: "<")
        }
        if bytes.count >= 3, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { i += 3 }
        while i < bytes.endIndex, [0x09, 0x0A, 0x0D, 0x20].contains(bytes[i]) { i += 1 }
        return i < bytes.endIndex ? bytes[i] : nil
    }

    /// True when `url`'s path is `/robots.txt`.
    static func isRobotsTxt(_ url: String?) -> Bool {
        guard let url, URLResolver.scheme(of: url) != nil else { return false }
        var path = Substring(url)
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        return path.lowercased().hasSuffix("/robots.txt")
    }

    /// What a content type says about the body.
    enum MediaClass: Equatable {
        /// `text/xml`, `application/xml`, `application/rss+xml`, any `+xml`.
        case xml
        /// `application/json`, `application/feed+json`, any `+json`.
        case json
        /// No type, `text/plain`, `application/octet-stream`, gzip: the body decides.
        case neutral
        /// Anything else (images, PDF, …): never a source without an override.
        case other

        init(_ type: ContentType) {
            let m = type.mediaType
            if m == "text/xml" || m == "application/xml" || m.hasSuffix("+xml") {
                self = .xml
            } else if m == "application/json" || m.hasSuffix("+json") {
                self = .json
            } else if ["text/plain", "application/octet-stream", "binary/octet-stream", "application/gzip",
                       "application/x-gzip", "application/unknown"].contains(m) {
                self = .neutral
            } else {
                self = .other
            }
        }

        var mayBeSource: Bool { self != .other }
    }
}
