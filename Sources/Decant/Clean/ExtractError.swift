/// Why a page could not be turned into an article.
public enum ExtractError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No bytes, or only whitespace.
    case empty
    /// Larger than the configured cap (`clean.maxPageBytes`).
    case tooLarge(bytes: Int, limit: Int)
    /// Bytes that are not an HTML page (binary data, an image, ...).
    case notHTML(reason: String)
    /// A page that parsed but holds no article text (an index page, a login wall, ...); `metadata`
    /// is the article made of what the page says about itself, with empty text and `error` set.
    case noContent(metadata: Article)
    /// The input could not be read.
    case unreadable(path: String, reason: String)

    static let noContentMessage = "no article content found"

    public var description: String {
        switch self {
        case .empty: "empty page"
        case .tooLarge(let bytes, let limit): "page too large: \(bytes) bytes, limit \(limit)"
        case .notHTML(let reason): "not an HTML page: \(reason)"
        case .noContent: Self.noContentMessage
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
