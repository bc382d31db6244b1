import Foundation
import DecantFetch
import DecantSources

/// One URL of a job file and the options its line gave it; `parse` holds the rules for a line of
/// either kind of job file (a plain URL, or a JSON object in a `*.jsonl` file).
public struct JobLine: Sendable, Equatable {
    public var url: String
    public var options: JobOptions

    public init(url: String, options: JobOptions = JobOptions()) {
        self.url = url
        self.options = options
    }

    public static let schemes: Set<String> = ["http", "https", "file"]
    /// At most this many tags (and hint categories) on a line, each at most `maxTagCharacters`.
    public static let maxTags = 32
    public static let maxTagCharacters = 100
    /// The deepest sitemap nesting a line may state.
    public static let maxDepth = 100
    /// The keys a JSONL line may hold, and those of its `hints`.
    public static let keys: Set<String> = ["url", "tags", "priority", "formats", "recrawlHours", "source", "depth",
                                           "sourceFeed", "hints"]
    public static let hintKeys: Set<String> = ["title", "published", "author", "categories", "entryId"]

    // MARK: Plain job files

    public static func parse(_ bytes: [UInt8]) -> JobFileReader.Line.Kind {
        guard let raw = String(validating: bytes, as: UTF8.self) else {
            return .malformed(text: String(decoding: bytes.prefix(80), as: UTF8.self), reason: "not valid UTF-8")
        }
        return parse(raw)
    }

    /// A plain line: a URL, optionally behind a `feed:`/`sitemap:` prefix that forces its kind.
    public static func parse(_ raw: String) -> JobFileReader.Line.Kind {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.hasPrefix("#") { return .skip }
        let (kind, rest) = SourceKind.override(in: text)
        switch url(rest) {
        case .success(let url): return .url(url, options: JobOptions(source: kind))
        case .failure(let failure): return .malformed(text: text, reason: failure.reason)
        }
    }

    /// Why a URL is refused.
    struct Refusal: Error { var reason: String }

    /// Checks one URL and returns it as the fetcher sees it (an internationalised host as punycode).
    static func url(_ text: String) -> Result<String, Refusal> {
        guard let colon = text.firstIndex(of: ":"), colon > text.startIndex else {
            return .failure(Refusal(reason: "not a URL (no scheme such as https://)"))
        }
        let scheme = text[..<colon].lowercased()
        guard scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }), scheme.first!.isLetter else {
            return .failure(Refusal(reason: "not a URL (no scheme such as https://)"))
        }
        guard schemes.contains(scheme) else {
            return .failure(Refusal(reason: "unsupported URL scheme '\(scheme)' (only http, https and file)"))
        }
        if text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } == true }) {
            return .failure(Refusal(reason: "a line holds one URL without spaces or control characters"))
        }
        let ascii: String
        switch IDNA.asciiURL(text) {
        case .success(let converted): ascii = converted
        case .failure(let failure): return .failure(Refusal(reason: "invalid URL: \(failure)"))
        }
        guard let url = URL(string: ascii) else { return .failure(Refusal(reason: "invalid URL")) }
        if scheme == "file" {
            if url.path.isEmpty { return .failure(Refusal(reason: "file URL without a path")) }
        } else if (url.host ?? "").isEmpty {
            return .failure(Refusal(reason: "URL without a host"))
        }
        return .success(ascii)
    }

    // MARK: JSONL job files

    /// A line of a `*.jsonl` file: one JSON object whose `formats` must be among `formats`; a blank
    /// line is skipped, anything else that is not a valid object is malformed with the key named.
    public static func parseJSON(_ bytes: [UInt8], formats: Set<String>) -> JobFileReader.Line.Kind {
        guard let raw = String(validating: bytes, as: UTF8.self) else {
            return .malformed(text: String(decoding: bytes.prefix(80), as: UTF8.self), reason: "not valid UTF-8")
        }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .skip }
        guard text.hasPrefix("{") else {
            return .malformed(text: text, reason: "a line of a .jsonl job file is one JSON object starting with {")
        }
        let object: [String: JSONValue]
        do {
            object = try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
        } catch {
            return .malformed(text: text, reason: "not a JSON object (\(Self.brief(error)))")
        }
        switch decode(object, formats: formats) {
        case .success(let line): return .url(line.url, options: line.options)
        case .failure(let refusal): return .malformed(text: text, reason: refusal.reason)
        }
    }

    /// The job line an object describes, or the first bad key (in sorted order) and what it must be.
    static func decode(_ object: [String: JSONValue], formats: Set<String>) -> Result<JobLine, Refusal> {
        func bad(_ key: String, _ rule: String) -> Result<JobLine, Refusal> { .failure(Refusal(reason: "\(key): \(rule)")) }
        for key in object.keys.sorted() where !keys.contains(key) {
            return bad(key, "unknown key (known: \(keys.sorted().joined(separator: ", ")))")
        }
        guard case .string(let rawURL)? = object["url"] else { return bad("url", "required, a URL string") }
        let url: String
        switch Self.url(rawURL.trimmingCharacters(in: .whitespaces)) {
        case .success(let u): url = u
        case .failure(let refusal): return bad("url", refusal.reason)
        }
        var options = JobOptions()
        for key in object.keys.sorted() where key != "url" {
            let value = object[key]!
            if case .null = value { continue }  // null is the default
            switch key {
            case "tags":
                guard let tags = stringList(value) else {
                    return bad(key, "must be an array of at most \(maxTags) strings of 1-\(maxTagCharacters) characters")
                }
                options.tags = tags
            case "priority":
                guard case .integer(let p) = value, JobOptions.priorities.contains(p) else {
                    return bad(key, "must be an integer 0-9")
                }
                options.priority = p
            case "formats":
                guard case .array(let items) = value, items.count <= formats.count + 1 else {
                    return bad(key, "must be an array of configured output formats (\(formats.sorted().joined(separator: ", ")))")
                }
                var names: [String] = []
                for item in items {
                    guard case .string(let name) = item, formats.contains(name) else {
                        return bad(key, "must be an array of configured output formats (\(formats.sorted().joined(separator: ", ")))")
                    }
                    if !names.contains(name) { names.append(name) }
                }
                options.formats = names
            case "recrawlHours":
                guard let hours = value.number, hours.isFinite, hours >= 0 else {
                    return bad(key, "must be a number of hours, 0 or more")
                }
                options.recrawlHours = hours
            case "source":
                guard case .string(let name) = value, let kind = SourceKind(rawValue: name) else {
                    return bad(key, "must be one of page, feed, sitemap")
                }
                options.source = kind
            case "depth":
                guard case .integer(let d) = value, (0...maxDepth).contains(d) else {
                    return bad(key, "must be an integer 0-\(maxDepth)")
                }
                options.depth = d
            case "sourceFeed":
                guard case .string(let feed) = value, case .success(let u) = Self.url(feed) else {
                    return bad(key, "must be a URL string")
                }
                options.sourceFeed = u
            case "hints":
                switch hints(value) {
                case .success(let h): options.hints = h
                case .failure(let refusal): return .failure(refusal)
                }
            default: break
            }
        }
        return .success(JobLine(url: url, options: options))
    }

    private static func hints(_ value: JSONValue) -> Result<JobOptions.Hints, Refusal> {
        func bad(_ key: String, _ rule: String) -> Result<JobOptions.Hints, Refusal> {
            .failure(Refusal(reason: "hints\(key.isEmpty ? "" : ".")\(key): \(rule)"))
        }
        guard case .object(let object) = value else { return bad("", "must be an object") }
        var hints = JobOptions.Hints()
        for key in object.keys.sorted() {
            let value = object[key]!
            if case .null = value { continue }
            switch key {
            case "title", "published", "author", "entryId":
                guard case .string(let s) = value else { return bad(key, "must be a string") }
                switch key {
                case "title": hints.title = s
                case "published": hints.published = s
                case "author": hints.author = s
                default: hints.entryId = s
                }
            case "categories":
                guard let list = stringList(value) else {
                    return bad(key, "must be an array of at most \(maxTags) strings of 1-\(maxTagCharacters) characters")
                }
                hints.categories = list
            default:
                return bad(key, "unknown key (known: \(hintKeys.sorted().joined(separator: ", ")))")
            }
        }
        return .success(hints)
    }

    /// A short array of short, non-empty strings (tags, categories), nil when the value is not one.
    private static func stringList(_ value: JSONValue) -> [String]? {
        guard case .array(let items) = value, items.count <= maxTags else { return nil }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { return nil }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, t.count <= maxTagCharacters else { return nil }
            out.append(t)
        }
        return out
    }

    /// The decoder's complaint in a few words.
    private static func brief(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.typeMismatch = error { return "the line is not an object" }
        return "\(error)"
    }
}

/// A JSON value as a job line holds it, keeping integers apart from other numbers and from booleans.
enum JSONValue: Sendable, Equatable, Decodable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// Any number, integer or not.
    var number: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}
