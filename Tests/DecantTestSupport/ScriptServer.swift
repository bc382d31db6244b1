import Foundation

/// A test server written in Python under `scripts/`, started on 127.0.0.1: it prints its port on the
/// first line and exits by itself when its stdin closes (when this object or the test process ends).
package final class ScriptServer: @unchecked Sendable {  // immutable after init; Process is only kept alive
    package let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts `python3 scripts/<script> <arguments>` and reads its port; nil when it does not start
    /// or prints no port.
    package init?(_ script: String, arguments: [String] = []) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(script)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        do { try process.run() } catch { return nil }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) && line.count <= 64 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            return nil
        }
        self.port = port
        self.process = process
        self.input = input
    }

    /// Kills the server and waits for it to end (its port then refuses connections).
    package func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
