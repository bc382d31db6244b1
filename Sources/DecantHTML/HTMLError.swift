/// Why bytes could not become an HTML document, or why the time budget ran out; `ExtractError` carries each case on.
public enum HTMLError: Error, Equatable, Sendable {
    /// No bytes, or only whitespace.
    case empty
    /// Larger than the configured cap (`clean.maxPageBytes`).
    case tooLarge(bytes: Int, limit: Int)
    /// Bytes that are not an HTML page (binary data, an image, ...).
    case notHTML(reason: String)
    /// More elements, attributes, comments and processing instructions than one page may have.
    case tooManyNodes(limit: Int)
    /// Extraction used up its time (`clean.timeBudgetSeconds`) during `stage`.
    case timeBudgetExceeded(stage: ExtractStage, seconds: Double)
}

/// The steps of one extraction that the time budget is checked after, in order.
public enum ExtractStage: String, Sendable {
    /// Charset decision, transcoding to UTF-8 and the attribute limits.
    case decode
    case parse
    case metadata
    /// A site rule's XPaths (`sites` in pipeline.json).
    case siteRules
    /// Finding the content (one pass per set of rules tried).
    case clean
}
