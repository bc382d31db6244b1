import Foundation

/// A test server written in Python under `scripts/`, started on 127.0.0.1: it prints its port on the
/// first line and exits by itself when its stdin closes (when this object or the test process ends).
package final class ScriptServer: @unchecked Sendable {  // immutable after init
    package let port: Int
    private let pid: pid_t
    private let stdinWriter: Int32
    private let outPath: String

    /// Starts `python3 scripts/<script> <arguments>` and reads its port; nil when it does not start
    /// or prints no port within ten seconds.
    package init?(_ script: String, arguments: [String] = []) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(script)").path
        outPath = NSTemporaryDirectory() + "decant-server-" + UUID().uuidString + ".out"
        // Our end of its stdin is close-on-exec, so no other child inherits it and keeps the server alive.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        ChildProcess.closeOthers(&actions)
        guard let pid = try? ChildProcess.spawn("python3", [path] + arguments, &actions) else {
            close(ends[0]); close(ends[1])
            return nil
        }
        close(ends[0])
        self.pid = pid
        stdinWriter = ends[1]
        var port: Int?
        let end = Date().addingTimeInterval(10)
        while port == nil && Date() < end {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, text.contains("\n") {
                port = Int(line.trimmingCharacters(in: .whitespaces))
                if port == nil { break }
            } else {
                usleep(20_000)
            }
        }
        guard let port else {
            Self.stop(pid)
            close(stdinWriter)
            unlink(outPath)
            return nil
        }
        self.port = port
    }

    /// Kills the server and waits for it to end (its port then refuses connections).
    package func kill() { Self.stop(pid) }

    private static func stop(_ pid: pid_t) {
        Foundation.kill(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
    }

    deinit {
        close(stdinWriter)
        unlink(outPath)
    }
}
