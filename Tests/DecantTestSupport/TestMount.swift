import Foundation

/// A small tmpfs mounted for one test (a full or read-only disk), when the tests run as root.
package struct TestMount {
    package let path: String

    /// True when this process may mount file systems (root with CAP_SYS_ADMIN, `mount` present).
    package static let available: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount")
                || FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") else { return false }
        guard let probe = try? TestMount(options: "size=64k") else { return false }
        probe.remove()
        return true
    }()

    /// Mounts a tmpfs with `options` (such as `size=4m` or `ro,size=1m`) on a fresh folder.
    package init(options: String) throws {
        path = NSTemporaryDirectory() + "decant-mount-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path]) == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    package func remove() {
        _ = Self.run(["umount", "-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `arguments` (through /usr/bin/env) and returns its exit status (-1 when it could not run).
    /// posix_spawn + waitpid on its pid: Foundation's `Process.waitUntilExit` was seen to miss a child's
    /// exit on Linux (a `mount` left defunct, the test blocked for good).
    @discardableResult
    package static func run(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal (0 when it exited), the next byte the code.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
