import Foundation
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
    private var process: Process?
    private var input: Pipe?

    init(secret: String, folder: String) throws {
        self.secret = secret
        record = folder + "/received.jsonl"
        try start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts the receiver (on the same port as before, after a `stop`).
    func start() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/webhook_receiver.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--secret", secret, "--record", record, "--port", String(port),
                             "--fail", "0", "--exit-on-eof"]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) && line.count < 64 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
        self.process = process
        self.input = input
    }

    /// Kills the receiver and waits for it to end (its port then refuses connections).
    func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
        input = nil
    }

    /// Every POST received so far, in order.
    func posts() -> [Post] {
        guard let data = FileManager.default.contents(atPath: record) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(Post.self, from: Data($0)) }
    }
}
