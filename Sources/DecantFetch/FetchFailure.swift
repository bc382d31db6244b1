import Foundation

/// Why a URL was not fetched, with a reason a person can read; `isTemporary` decides retry or give up.
public enum FetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// The URL's host name is not a valid internationalised domain name (IDNA).
    case invalidHostName(url: String, IDNA.Failure)
    case unsupportedScheme(String)
    /// A `file://` URL while `fetch.allowFileUrls` is false.
    case fileURLsDisabled
    /// The address actually connected to is not globally reachable (`block`: the registry entry that says so).
    case refusedAddress(address: String, kind: String, block: String? = nil)
    case disallowedByRobots(rule: String)
    /// robots.txt answered 5xx or could not be reached: the whole host is off limits for now.
    case robotsUnavailable(reason: String)
    /// An HTTP status that ends the fetch (4xx, 5xx, 408, 429, unexpected 3xx).
    case http(status: Int)
    case timeout(String)
    /// The body arrived slower than `fetch.lowSpeedBytesPerSecond` for `fetch.lowSpeedSeconds`.
    case tooSlow(String)
    case connection(String)
    case tooManyRedirects(limit: Int, chain: [String])
    /// A redirect from `from` to `to`, whose scheme is not http or https, was not followed.
    case redirectToUnsupportedScheme(scheme: String, from: String, to: String)
    case bodyTooLarge(limit: Int)
    case corruptEncoding(String)
    case unsupportedContentType(String)
    case emptyBody
    /// Any other libcurl error, with its text.
    case curl(code: Int, message: String)
    case cancelled

    /// Temporary failures are retried with backoff, then deferred; the rest fail for good.
    public var isTemporary: Bool {
        switch self {
        case .http(let status): status == 408 || status == 429 || status >= 500
        case .timeout, .tooSlow, .connection, .robotsUnavailable: true
        case .curl(let code, _): Self.temporaryCurlCodes.contains(code)
        default: false
        }
    }

    /// The HTTP status behind the failure, or 0 when there was no response.
    public var status: Int {
        if case .http(let status) = self { return status }
        return 0
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL '\(url)'"
        case .invalidHostName(let url, let failure): "invalid URL '\(url)': \(failure)"
        case .unsupportedScheme(let scheme): "unsupported URL scheme '\(scheme)' (only http, https and file)"
        case .fileURLsDisabled: "file:// URLs are disabled (set fetch.allowFileUrls to true)"
        case .refusedAddress(let address, let kind, let block):
            "refused to connect to \(kind) address \(address)" + (block.map { " (\($0))" } ?? "")
                + " (set fetch.allowPrivateNetworks to allow)"
        case .disallowedByRobots(let rule): "disallowed by robots.txt (\(rule))"
        case .robotsUnavailable(let reason): "robots.txt unavailable (\(reason)): host off limits for now"
        case .http(let status): "HTTP \(status) \(Self.reasonPhrase(status))"
        case .timeout(let text): "timed out: \(text)"
        case .tooSlow(let text): "transfer too slow: \(text)"
        case .connection(let text): "connection failed: \(text)"
        case .tooManyRedirects(let limit, let chain):
            "too many redirects (limit \(limit)): " + chain.joined(separator: " -> ")
        case .redirectToUnsupportedScheme(let scheme, let from, let to):
            "refused to follow a redirect to URL scheme '\(scheme)' (redirects only to http and https): \(from) -> \(to)"
        case .bodyTooLarge(let limit): "body larger than fetch.maxBodyBytes (\(limit) bytes)"
        case .corruptEncoding(let text): "corrupt compressed body: \(text)"
        case .unsupportedContentType(let type): "unsupported content type \(type)"
        case .emptyBody: "empty body"
        case .curl(let code, let message): "transfer failed (curl error \(code)): \(message)"
        case .cancelled: "cancelled"
        }
    }

    /// libcurl codes worth another try: DNS, send/receive errors, empty replies, HTTP/2 stream errors.
    static let temporaryCurlCodes: Set<Int> = [5, 6, 7, 16, 18, 52, 55, 56, 92]

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : ""
        }
    }
}

extension FetchFailure {
    /// Maps a libcurl error code and its text to a failure.
    init(curlCode code: Int, message: String, chain: [String], maxRedirects: Int, maxBodyBytes: Int) {
        switch code {
        case 1: self = .unsupportedScheme(chain.last.flatMap { $0.components(separatedBy: ":").first } ?? "?")
        case 3: self = .invalidURL(message)
        case 5, 6: self = .connection(message)
        case 7: self = .connection(message)
        case 28: self = message.lowercased().contains("too slow") ? .tooSlow(message) : .timeout(message)
        case 47: self = .tooManyRedirects(limit: maxRedirects, chain: chain)
        case 61: self = .corruptEncoding(message)
        case 63: self = .bodyTooLarge(limit: maxBodyBytes)
        case 18, 52, 55, 56, 16, 92: self = .connection(message)
        default: self = .curl(code: code, message: message)
        }
    }
}
