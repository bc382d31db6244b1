import DecantHTML
import DecantHTML

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
    /// More elements, attributes, comments and processing instructions than one page may have.
    case tooManyNodes(limit: Int)
    /// Extraction used up its time (`clean.timeBudgetSeconds`) during `stage`.
    case timeBudgetExceeded(stage: Stage, seconds: Double)

    /// The steps of one extraction that the time budget is checked after, in order.
    public typealias Stage = ExtractStage

    /// The same failure, raised while parsing (`HTMLDocument`) or at a deadline check.
    package init(_ error: HTMLError) {
        switch error {
        case .empty: self = .empty
        case .tooLarge(let bytes, let limit): self = .tooLarge(bytes: bytes, limit: limit)
        case .notHTML(let reason): self = .notHTML(reason: reason)
        case .tooManyNodes(let limit): self = .tooManyNodes(limit: limit)
        case .timeBudgetExceeded(let stage, let seconds): self = .timeBudgetExceeded(stage: stage, seconds: seconds)
        }
    }

    static let noContentMessage = "no article content found"

    public var description: String {
        switch self {
        case .empty: "empty page"
        case .tooLarge(let bytes, let limit): "page too large: \(bytes) bytes, limit \(limit)"
        case .notHTML(let reason): "not an HTML page: \(reason)"
        case .noContent: Self.noContentMessage
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .tooManyNodes(let limit):
            "page too complex: more than \(limit) elements, attributes and comments"
        case .timeBudgetExceeded(let stage, let seconds):
            "time budget exceeded: \(Self.format(seconds)) s (clean.timeBudgetSeconds) ran out in the \(stage.rawValue) stage"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}

extension ExtractDeadline {
    /// Throws `.timeBudgetExceeded` naming `stage` when the budget is used up.
    @inline(__always)
    func checkExtraction(_ stage: ExtractStage) throws(ExtractError) {
        do throws(HTMLError) { try check(stage) } catch { throw ExtractError(error) }
    }
}
