import Foundation

/// Where and how each delivered article is POSTed (`output.webhook`): signed, with an idempotency key.
public struct WebhookConfig: Sendable, Equatable, Codable {
    /// An `http` or `https` URL with a host; the fetcher's address policy applies to it too.
    public var url: String
    /// Extra request headers, e.g. `Authorization`; the headers Decant sets itself cannot be overridden.
    public var headers: [String: String] = [:]
    /// The HMAC-SHA256 key of `X-Decant-Signature`.
    public var secret: String
    public var timeoutSeconds: Double = 10
    /// Tries of one article before it is given up with a record in `failed/webhook-<id>.json`.
    public var maxAttempts = 10

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }

    /// The headers Decant sets on every request (lower case), refused in `headers`.
    public static let reservedHeaders: Set<String> = [
        "content-type", "content-length", "host", "idempotency-key", "x-decant-signature", "expect",
        "transfer-encoding", "connection",
    ]

    package enum CodingKeys: String, CodingKey, CaseIterable { case url, headers, secret, timeoutSeconds, maxAttempts }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timeoutSeconds = try c.number(.timeoutSeconds, or: 10)
        maxAttempts = try c.integer(.maxAttempts, or: 10)
        headers = try c.value(.headers, or: [:])
        guard c.contains(.url) else { throw ConfigError.invalidValue(keyPath: c.path(.url), reason: "is required") }
        guard c.contains(.secret) else { throw ConfigError.invalidValue(keyPath: c.path(.secret), reason: "is required") }
        url = try c.value(.url, or: "")
        secret = try c.value(.secret, or: "")
        if let problem = Self.urlProblem(url) { throw ConfigError.invalidValue(keyPath: c.path(.url), reason: problem) }
        try require(!secret.isEmpty, c, .secret, "must not be empty")
        for name in headers.keys.sorted() {
            let path = c.path(.headers) + "." + name
            if let problem = Self.headerProblem(name: name, value: headers[name] ?? "") {
                throw ConfigError.invalidValue(keyPath: path, reason: problem)
            }
        }
    }

    /// Why `url` cannot be a webhook URL, nil when it can.
    package static func urlProblem(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "must be an absolute http or https URL"
        }
        guard scheme == "http" || scheme == "https" else { return "must be an http or https URL, not \(scheme)" }
        guard let host = parts.host, !host.isEmpty else { return "must name a host" }
        if parts.user != nil || parts.password != nil { return "must not hold credentials (use headers)" }
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return "must not contain spaces or control characters"
        }
        return nil
    }

    /// Why a header cannot be sent, nil when it can: an HTTP token name, a value without CR, LF or NUL.
    package static func headerProblem(name: String, value: String) -> String? {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if name.isEmpty || !name.unicodeScalars.allSatisfy(token.contains) { return "is not a valid header name" }
        if reservedHeaders.contains(name.lowercased()) { return "is set by Decant and cannot be overridden" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0.value != 0x09 || $0.value == 0x7F }) {
            return "must not contain control characters"
        }
        return nil
    }
}
