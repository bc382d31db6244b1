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

    /// Runs `arguments` and returns its exit status (-1 when it could not run); a program that has
    /// not ended after 30 s is killed (a `mount` that hangs must not hold a test thread for good).
    @discardableResult
    package static func run(_ arguments: [String]) -> Int32 {
        guard let program = arguments.first,
              let child = try? ChildProcess(program, Array(arguments.dropFirst())) else { return -1 }
        return child.waitBlocking(seconds: 30)
    }
}
