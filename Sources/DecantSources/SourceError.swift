/// Why a body that should be a feed, sitemap or OPML file could not be read.
public enum SourceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is empty.
    case empty
    /// The body (or its decompressed form) is over `SourceLimits.bytes`.
    case tooLarge(limit: Int)
    /// A gzip body that does not inflate; `reason` is zlib's message.
    case corruptCompression(reason: String)
    /// libxml2 rejected the XML: its first error, with line and column (1-based) and message.
    case malformedXML(line: Int, column: Int, message: String)
    /// JSONSerialization rejected the body.
    case malformedJSON(reason: String)
    /// A JSON body that is not an object with a JSON Feed `version`.
    case notJSONFeed
    /// A body that is neither XML nor JSON where a feed or OPML file was required.
    case notMarkup
    /// The XML root element is no dialect this reader knows.
    case unknownRoot(name: String, namespace: String?)
    /// The override promised one kind and the body is another (`feed:` on a sitemap).
    case wrongKind(expected: SourceKind, found: SourceKind)
    /// libxml2 could not allocate a parser.
    case parserUnavailable

    public var description: String {
        switch self {
        case .empty: "empty body"
        case .tooLarge(let limit): "body exceeds \(limit) bytes"
        case .corruptCompression(let reason): "corrupt gzip data: \(reason)"
        case .malformedXML(let line, let column, let message): "malformed XML at line \(line), column \(column): \(message)"
        case .malformedJSON(let reason): "malformed JSON: \(reason)"
        case .notJSONFeed: "JSON without a JSON Feed version"
        case .notMarkup: "neither XML nor JSON"
        case .unknownRoot(let name, let namespace):
            "unknown root element <\(name)>" + (namespace.map { " in namespace \($0)" } ?? "")
        case .wrongKind(let expected, let found): "expected a \(expected.rawValue), found a \(found.rawValue)"
        case .parserUnavailable: "libxml2 could not create a parser"
        }
    }
}
