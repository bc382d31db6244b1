import CCurl
import Foundation

/// One HTTP(S) or file request as the fetcher hands it to the `CurlMulti` loop.
struct TransferRequest: Sendable {
    var url: String
    /// Requests with the same key share the per-host limit and delay (`scheme://host:port`).
    var hostKey: String
    /// Minimum spacing between starts of requests to this host, in seconds.
    var hostDelay: Double
    /// Extra request headers (`If-None-Match: "abc"`).
    var headers: [String] = []
    var maxBodyBytes: Int
    /// When false, a 2xx response that declares a non-HTML content type is aborted at its headers.
    var acceptAnyContent = false
    /// Also keeps bodies whose type may be a feed or sitemap (`ContentType.mayBeSource`), besides HTML.
    var acceptSources = false
    /// Keep the exchange as it went over the wire (requests sent, raw heads and bodies) for a WARC
    /// recorder; libcurl then leaves the body coded (gzip, chunked) and the `Fetcher` decodes it.
    var record = false
}

/// One response of a recorded transfer and the request that asked for it, as bytes on the wire.
struct RawHop: Sendable {
    var url: String
    /// When its status line arrived.
    var date: Date
    var ipAddress: String?
    /// Request line and headers as sent (empty when libcurl did not report them).
    var request = Data()
    /// Status line and header lines as received, with the blank line that ends them.
    var head: Data
    /// The body as received (still chunked or gzip).
    var body = Data()
    var status = 0
    /// The head announces a body (a Content-Length above 0, or a Transfer-Encoding).
    var declaresBody = false
}

/// What libcurl reported for one transfer: plain facts, classified later by the `Fetcher`.
struct TransferResult: Sendable {
    var code: Int = 0
    var message = ""
    /// A failure decided inside the transfer (cap hit, content type refused, address refused).
    var failure: FetchFailure?
    var status = 0
    var headers: [(name: String, value: String)] = []
    var body = Data()
    /// The URL of each response received, in order (the first is the request, the last the final URL).
    var chain: [String] = []
    var finalURL = ""
    var contentType: ContentType?
    /// Every complete response when the request was recorded (redirects first), else nil.
    var recorded: [RawHop]?

    static func cancelled(_ url: String) -> TransferResult {
        TransferResult(code: -1, message: "cancelled", failure: .cancelled, finalURL: url)
    }
}

/// The state of one running transfer, reached from libcurl's callbacks through an unretained pointer.
///
/// Lives only on the `CurlMulti` loop thread, which keeps it alive while libcurl holds the pointer.
final class Transfer {
    let id: UInt64
    let request: TransferRequest
    let continuation: CheckedContinuation<TransferResult, Never>
    var easy: CurlEasy?
    let checkAddresses: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body = BodyBuffer()
    private var headers: [(name: String, value: String)] = []
    private var chain: [String] = []
    private var contentType: ContentType?
    private var failure: FetchFailure?
    /// Bodies of non-2xx responses are counted (against the cap) but not kept.
    private var keepBody = true
    private var discarded = 0
    private var lastStatus = 0
    private var responses = 0
    /// When recording: the request heads libcurl sent, and the responses so far.
    private var sent: [Data] = []
    private var hops: [RawHop] = []

    /// Recorded heads larger than this are cut (libcurl caps a header line at 100 KiB anyway).
    static let maxRecordedHead = 1 << 20

    static let maxHeaders = 256

    init(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, Never>,
         checkAddresses: Bool) {
        self.id = id
        self.request = request
        self.continuation = continuation
        self.checkAddresses = checkAddresses
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        body.release()
    }

    /// Points `easy` at this transfer: URL, headers, callbacks and their user data.
    func attach(to easy: CurlEasy) {
        self.easy = easy
        easy.clearError()
        easy.set(CURLOPT_URL, request.url)
        for header in request.headers {
            headerList = header.withCString { curl_slist_append(headerList, $0) }
        }
        easy.set(CURLOPT_HTTPHEADER, list: headerList)
        easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: request.maxBodyBytes)
        let me = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_PRIVATE, pointer: me)
        easy.set(CURLOPT_WRITEDATA, pointer: me)
        easy.set(CURLOPT_HEADERDATA, pointer: me)
        easy.set(CURLOPT_OPENSOCKETDATA, pointer: checkAddresses ? me : nil)
        // Recording keeps the bytes as they came (only what Fetcher decodes is asked for); otherwise
        // libcurl's defaults: it decodes every coding it knows.
        let record = request.record
        easy.set(CURLOPT_HTTP_CONTENT_DECODING, !record)
        easy.set(CURLOPT_HTTP_TRANSFER_DECODING, !record)
        easy.set(CURLOPT_ACCEPT_ENCODING, record ? "gzip, deflate" : "")
        easy.set(CURLOPT_VERBOSE, record)
        easy.set(CURLOPT_DEBUGDATA, pointer: record ? me : nil)
    }

    /// Collects the result once libcurl reports the transfer done; frees the request headers.
    func finish(code: CURLcode) -> TransferResult {
        var result = TransferResult()
        result.code = Int(code.rawValue)
        if code != CURLE_OK, let easy { result.message = easy.errorText(code) }
        result.failure = failure
        result.status = easy?.long(CURLINFO_RESPONSE_CODE) ?? 0
        result.finalURL = easy?.string(CURLINFO_EFFECTIVE_URL) ?? request.url
        result.headers = headers
        result.chain = chain.isEmpty ? [result.finalURL] : chain
        result.contentType = contentType
        result.body = body.take()
        if request.record { result.recorded = recordedHops(complete: code == CURLE_OK && failure == nil, body: result.body) }
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        easy?.set(CURLOPT_HTTPHEADER, list: nil)
        return result
    }

    /// The recorded responses paired with their requests; the last one only if the transfer completed.
    private func recordedHops(complete: Bool, body: Data) -> [RawHop] {
        var done = hops
        if !complete, !done.isEmpty { done.removeLast() }
        if complete, !done.isEmpty, done[done.count - 1].body.isEmpty { done[done.count - 1].body = body }
        for i in done.indices where i < sent.count { done[i].request = sent[i] }
        hops = []
        sent = []
        return done
    }

    // MARK: Callbacks (on the loop thread, inside curl_multi_perform)

    /// libcurl's debug callback with `CURLINFO_HEADER_OUT`: the request line and headers it sent.
    func sentHeader(_ bytes: UnsafeRawBufferPointer) {
        guard request.record else { return }
        if let last = sent.last, !last.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]), last.count < Self.maxRecordedHead {
            sent[sent.count - 1].append(contentsOf: bytes)
        } else if sent.count <= 64 {
            sent.append(Data(bytes))
        }
    }

    /// Keeps a raw header line of the response being received.
    private func recordHeader(_ bytes: UnsafeRawBufferPointer, statusLine: Bool) {
        if statusLine {
            if let last = hops.last, (100..<200).contains(last.status) { hops.removeLast() }  // 1xx: interim
            if hops.count <= 64 { hops.append(RawHop(url: chain.last ?? request.url, date: Date(), head: Data(bytes))) }
        } else if !hops.isEmpty, hops[hops.count - 1].head.count < Self.maxRecordedHead {
            hops[hops.count - 1].head.append(contentsOf: bytes)
        }
    }

    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        if line.count >= 5, line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            contentType = nil
            responses += 1
            // The first response is for the request URL; ask libcurl only once a redirect was followed.
            if responses == 1 {
                chain = [request.url]
            } else if chain.count <= 64, let url = easy?.string(CURLINFO_EFFECTIVE_URL) {
                chain.append(url)
            }
            if request.record { recordHeader(bytes, statusLine: true) }
            return true
        }
        if request.record { recordHeader(bytes, statusLine: false) }
        if line.isEmpty { return headersEnded() }
        guard headers.count < Self.maxHeaders, let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let name = Self.lowercasedASCII(UnsafeRawBufferPointer(rebasing: line[..<colon]))
        var from = colon + 1, to = line.count
        while from < to, line[from] == 0x20 || line[from] == 0x09 { from += 1 }
        while to > from, line[to - 1] == 0x20 || line[to - 1] == 0x09 { to -= 1 }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[from..<to]), as: UTF8.self)
        if name == "content-type" { contentType = ContentType(header: value) }
        if request.record, !hops.isEmpty,
           name == "transfer-encoding" || (name == "content-length" && (Int(value) ?? 0) > 0) {
            hops[hops.count - 1].declaresBody = true
        }
        headers.append((name, value))
        return true
    }

    private static func lowercasedASCII(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            for (i, b) in bytes.enumerated() { out[i] = b >= 65 && b <= 90 ? b + 32 : b }
            return bytes.count
        }
    }

    /// At the end of a response's headers: refuse a non-HTML 2xx body before it arrives, size the buffer.
    private func headersEnded() -> Bool {
        guard let easy else { return true }
        let status = easy.long(CURLINFO_RESPONSE_CODE)
        lastStatus = status
        if request.record, !hops.isEmpty {
            hops[hops.count - 1].status = status
            hops[hops.count - 1].ipAddress = easy.string(CURLINFO_PRIMARY_IP).flatMap { $0.isEmpty ? nil : $0 }
        }
        keepBody = (200..<300).contains(status) || status == 0
        guard keepBody else { return true }
        if !request.acceptAnyContent, let type = contentType, !type.isHTML, !(request.acceptSources && type.mayBeSource) {
            failure = .unsupportedContentType(type.mediaType)
            return false
        }
        if let length = headers.last(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }), length > 0 {
            body.reserve(min(length, request.maxBodyBytes))
        }
        return true
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !keepBody {
            discarded += bytes.count
            if discarded > request.maxBodyBytes {  // an endless error page: stop reading, report its status
                failure = .http(status: lastStatus)
                return false
            }
            if request.record, !hops.isEmpty { hops[hops.count - 1].body.append(contentsOf: bytes) }
            return true
        }
        if body.count + bytes.count > request.maxBodyBytes {
            failure = .bodyTooLarge(limit: request.maxBodyBytes)
            return false
        }
        body.append(bytes)
        return true
    }

    /// Opens the socket for `address` unless it is a refused (non-public) address.
    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var raw = [UInt8](repeating: 0, count: 16)
        let length = Int(raw.withUnsafeMutableBufferPointer { ccurl_sockaddr_ip(address, $0.baseAddress) })
        let ip = Array(raw.prefix(length))
        if let refusal = AddressPolicy.refusal(for: ip) {
            if failure == nil {
                failure = .refusedAddress(address: AddressPolicy.format(ip), kind: refusal.kind.rawValue,
                                          block: refusal.block)
            }
            return ccurl_socket_bad()
        }
        return ccurl_open_socket(address)
    }
}

/// A growable byte buffer on malloc, handed over to `Data` without a copy.
struct BodyBuffer {
    private var base: UnsafeMutableRawPointer?
    private(set) var count = 0
    private var capacity = 0

    mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        base = realloc(base, n)
        capacity = n
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { reserve(max(count + bytes.count, max(capacity * 2, 32 * 1024))) }
        memcpy(base! + count, src, bytes.count)
        count += bytes.count
    }

    /// Returns the bytes as `Data` (taking ownership of the memory) and empties the buffer.
    mutating func take() -> Data {
        guard let base, count > 0 else {
            if let base { free(base) }
            self = BodyBuffer()
            return Data()
        }
        let data = Data(bytesNoCopy: base, count: count, deallocator: .free)
        self = BodyBuffer()
        return data
    }

    /// Frees the memory (a transfer dropped without `take`).
    mutating func release() {
        if let base { free(base) }
        self = BodyBuffer()
    }
}
