import CCurl
import Foundation

/// One blocking HTTP POST through libcurl (the webhook's): no redirects, no proxy, bounded in time
/// and response size, and the fetcher's `AddressPolicy` checked on the address curl connects to.
public struct HTTPPost: Sendable {
    public var url: String
    /// Request headers as `Name: value` lines.
    public var headers: [String]
    public var body: Data
    public var timeoutSeconds: Double
    /// A response body longer than this fails the request (`responseTooLarge`).
    public var maxResponseBytes = 1 << 20
    /// Refuse addresses that are not globally reachable (false with `fetch.allowPrivateNetworks`).
    public var checkAddresses = true
    public var userAgent = "Decant"

    public init(url: String, headers: [String], body: Data, timeoutSeconds: Double) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }

    /// What a POST got back: the status and the first bytes of the body.
    public struct Response: Sendable, Equatable {
        public var status: Int
        /// At most `keptBytes` of the response body (for the error record).
        public var body: Data
    }

    /// Why a POST got no response.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The address is not globally reachable (`fetch.allowPrivateNetworks` is off).
        case refusedAddress(address: String, kind: String, block: String)
        case responseTooLarge(limit: Int)
        /// libcurl's error (connection refused, timeout, TLS…).
        case transport(code: Int, message: String)

        public var description: String {
            switch self {
            case .refusedAddress(let address, let kind, let block):
                "refused address \(address) (\(kind): \(block)); set fetch.allowPrivateNetworks to allow"
            case .responseTooLarge(let limit): "response larger than \(limit) bytes"
            case .transport(let code, let message): "curl error \(code): \(message)"
            }
        }
    }

    static let keptBytes = 4096

    /// Sends the request on the calling thread (it blocks for up to `timeoutSeconds`).
    public func perform() -> Result<Response, Failure> {
        guard let easy = CurlEasy() else { return .failure(.transport(code: 2, message: "curl_easy_init failed")) }
        let state = PostState(limit: maxResponseBytes, checkAddresses: checkAddresses)
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers + ["Expect:"] { list = header.withCString { curl_slist_append(list, $0) } }
        defer { if let list { curl_slist_free_all(list) } }
        easy.set(CURLOPT_NOSIGNAL, true)
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_FOLLOWLOCATION, false)
        easy.set(CURLOPT_PROXY, "")
        let ms = Int(min(max(timeoutSeconds, 0.001), 86_400) * 1000)
        easy.set(CURLOPT_TIMEOUT_MS, max(1, ms))
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, ms))
        easy.set(CURLOPT_USERAGENT, userAgent)
        easy.set(CURLOPT_HTTPHEADER, list: list)
        easy.setPostBody(body)
        let me = Unmanaged.passUnretained(state).toOpaque()
        easy.set(CURLOPT_WRITEDATA, pointer: me)
        _ = ccurl_easy_setopt_data_callback(easy.handle, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let n = size * count
            let state = Unmanaged<PostState>.fromOpaque(user).takeUnretainedValue()
            return state.receive(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        if checkAddresses {
            easy.set(CURLOPT_OPENSOCKETDATA, pointer: me)
            _ = ccurl_easy_setopt_opensocket_callback(easy.handle) { user, _, address in
                guard let address, let user else { return ccurl_socket_bad() }
                return Unmanaged<PostState>.fromOpaque(user).takeUnretainedValue().openSocket(address)
            }
        }
        let code = withExtendedLifetime(state) { easy.perform() }
        if let failure = state.failure { return .failure(failure) }
        guard code == CURLE_OK else {
            return .failure(.transport(code: Int(code.rawValue), message: easy.errorText(code)))
        }
        return .success(Response(status: easy.long(CURLINFO_RESPONSE_CODE), body: state.kept))
    }
}

/// The response bytes and any refusal of one POST, reached from libcurl's callbacks on the calling thread.
private final class PostState {
    let limit: Int
    let checkAddresses: Bool
    var kept = Data()
    var received = 0
    var failure: HTTPPost.Failure?

    init(limit: Int, checkAddresses: Bool) {
        self.limit = limit
        self.checkAddresses = checkAddresses
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        received += bytes.count
        if received > limit {
            failure = .responseTooLarge(limit: limit)
            return false
        }
        if kept.count < HTTPPost.keptBytes { kept.append(contentsOf: bytes.prefix(HTTPPost.keptBytes - kept.count)) }
        return true
    }

    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var raw = [UInt8](repeating: 0, count: 16)
        let length = Int(raw.withUnsafeMutableBufferPointer { ccurl_sockaddr_ip(address, $0.baseAddress) })
        let ip = Array(raw.prefix(length))
        if let refusal = AddressPolicy.refusal(for: ip) {
            if failure == nil {
                failure = .refusedAddress(address: AddressPolicy.format(ip), kind: refusal.kind.rawValue, block: refusal.block)
            }
            return ccurl_socket_bad()
        }
        return ccurl_open_socket(address)
    }
}
