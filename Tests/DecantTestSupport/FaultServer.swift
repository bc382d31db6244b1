import Foundation

/// The misbehaving HTTP server of `scripts/fault_server.py`, on 127.0.0.1, shared by the fetch tests.
///
/// It exits by itself when this process ends (its stdin closes), so no test has to stop it.
package final class FaultServer: @unchecked Sendable {  // immutable after init; Process is only kept alive
    package let port: Int
    private let process: Process
    private let input: Pipe

    /// One server for the whole test run, started on first use; nil when python3 is missing.
    package static let shared: FaultServer? = FaultServer()

    private init?() {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/fault_server.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        do { try process.run() } catch { return nil }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
            if line.count > 64 { break }
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            return nil
        }
        self.port = port
        self.process = process
        self.input = input
    }

    package func url(_ path: String, host: String = "127.0.0.1") -> String { "http://\(host):\(port)\(path)" }
}
