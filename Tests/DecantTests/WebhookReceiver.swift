import Foundation
import DecantTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `scripts/webhook_receiver.py` on 127.0.0.1 for one test: records every POST (signature checked
/// with Python's own HMAC) in a file; `stop` and `start` play a receiver that is down for a while.
final class WebhookReceiver: @unchecked Sendable {  // touched only by the test that made it
    struct Post: Decodable, Equatable {
        var key: String?
        var valid: Bool
        var status: Int
        var id: String?
    }

    let secret: String
    let record: String
    private(set) var port = 0
    private var server: ScriptServer?

    init(secret: String, folder: String) throws {
        self.secret = secret
        record = folder + "/received.jsonl"
        try start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts the receiver (on the same port as before, after a `stop`).
    func start() throws {
        guard let server = ScriptServer("webhook_receiver.py", arguments: [
            "--secret", secret, "--record", record, "--port", String(port), "--fail", "0", "--exit-on-eof",
        ]) else { throw CocoaError(.fileReadUnknown) }
        self.server = server
        port = server.port
    }

    /// Kills the receiver and waits for it to end (its port then refuses connections).
    func stop() {
        server?.kill()
        server = nil
    }

    /// Every POST received so far, in order.
    func posts() -> [Post] {
        guard let data = FileManager.default.contents(atPath: record) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(Post.self, from: Data($0)) }
    }
}
