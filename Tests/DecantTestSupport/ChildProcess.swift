import Foundation

/// A program a test runs, started with posix_spawn and reaped with `waitpid` on its own pid.
///
/// Its stdout and stderr go to files, never to pipes, and every descriptor above 2 is closed in the
/// child: a pipe end inherited by another child (a long-lived test server) can then never keep a
/// read waiting for an end-of-file that does not come. Foundation's `Process` did both on Linux in
/// CI (a missed exit, a read blocked for good) and the suite hung; every wait here is bounded.
package final class ChildProcess: @unchecked Sendable {  // pid and paths are immutable; `status` is behind `lock`
    package let pid: pid_t
    private let outPath: String
    private let errPath: String
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments`; stdin is /dev/null unless `stdin` names a file.
    package init(_ executable: String, _ arguments: [String], stdin: String = "/dev/null") throws {
        let base = NSTemporaryDirectory() + "decant-child-" + UUID().uuidString
        outPath = base + ".out"
        errPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        Self.closeOthers(&actions)
        pid = try Self.spawn(executable, arguments, &actions)
    }

    /// Adds "close every descriptor above 2" to `actions`: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (not exported by Swift's Glibc module, so looked up by name), else each descriptor open now.
    static func closeOthers(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    /// Spawns with `actions`; throws the errno of a failed spawn.
    static func spawn(_ executable: String, _ arguments: [String],
                      _ actions: inout posix_spawn_file_actions_t) throws -> pid_t {
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        return pid
    }

    /// Sends `signal` to the program, unless it has already been reaped.
    package func send(_ signal: Int32) {
        lock.lock(); defer { lock.unlock() }
        if status == nil { kill(pid, signal) }
    }

    /// Sends SIGTERM.
    package func terminate() { send(SIGTERM) }

    /// True until the program has ended (checked without blocking).
    package var isRunning: Bool { poll() == nil }

    /// The exit code, or 128 + the signal that ended it; nil while it runs.
    package var terminationStatus: Int32? { poll() }

    private func poll() -> Int32? {
        lock.lock(); defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal (0 when it exited), the next byte the code.
        status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return status
    }

    /// Waits up to `seconds` for the program to end without blocking a thread, then kills it;
    /// returns its status (137 when it had to be killed).
    @discardableResult
    package func wait(seconds: Double = 90) async -> Int32 {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let status = poll() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return killAndReap()
    }

    /// The same wait for synchronous callers: sleeps this thread between checks.
    @discardableResult
    package func waitBlocking(seconds: Double = 90) -> Int32 {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let status = poll() { return status }
            usleep(20_000)
        }
        return killAndReap()
    }

    private func killAndReap() -> Int32 {
        send(SIGKILL)
        for _ in 0..<500 {
            if let status = poll() { return status }
            usleep(10_000)
        }
        return poll() ?? -1
    }

    /// Everything the program wrote to stdout so far.
    package var stdout: Data { (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data() }

    /// Everything the program wrote to stderr so far, as text.
    package var stderrText: String {
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self)
    }

    /// Runs the program to its end (killed after `seconds`) and returns status, stdout and stderr.
    package static func run(_ executable: String, _ arguments: [String], seconds: Double = 90) throws
        -> (status: Int32, stdout: Data, stderr: String) {
        let child = try ChildProcess(executable, arguments)
        let status = child.waitBlocking(seconds: seconds)
        return (status, child.stdout, child.stderrText)
    }

    deinit {
        if poll() == nil { _ = killAndReap() }
        unlink(outPath)
        unlink(errPath)
    }
}

/// The built `decant` binary, when it is next to the tests.
package enum DecantBinary {
    package static var path: String? {
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [nextToTests.appendingPathComponent("decant").path,
                          nextToTests.deletingLastPathComponent().appendingPathComponent("decant").path,
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                            .deletingLastPathComponent().appendingPathComponent(".build/debug/decant").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
