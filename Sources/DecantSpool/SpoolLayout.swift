import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folders and files of a spool (SPEC "Spool layout"): inbox, tmp, work, out, deferred, failed,
/// plus the journal, `status.json` and `decant.prom` at the top.
public struct SpoolLayout: Sendable, Equatable {
    public let root: String

    public init(root: String) { self.root = root }

    public var inbox: String { root + "/inbox" }
    public var tmp: String { root + "/tmp" }
    public var work: String { root + "/work" }
    public var out: String { root + "/out" }
    public var deferred: String { root + "/deferred" }
    public var failed: String { root + "/failed" }
    public var journal: String { root + "/state.sqlite" }
    public var statusFile: String { root + "/status.json" }
    public var promFile: String { root + "/decant.prom" }
    public var lockFile: String { root + "/.lock" }
    /// WARC files of `output.warc` (created on first use).
    public var warc: String { root + "/warc" }

    /// Every folder the spool needs, in SPEC order.
    public var folders: [String] { [inbox, tmp, work, out, deferred, failed] }

    /// Creates the spool and its folders when missing; refuses a spool (or folder of it) that is
    /// not a folder or cannot be written.
    public func create() throws(SpoolError) {
        for folder in [root] + folders { try Self.makeFolder(folder) }
    }

    /// `mkdir -p` for one folder, then checks that it is a writable folder (not a file, not read-only).
    static func makeFolder(_ path: String) throws(SpoolError) {
        var st = stat()
        if lstat(path, &st) != 0 {
            guard errno == ENOENT else { throw .io(path: path, operation: "look at folder", errno: errno) }
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && parent != path { try makeFolder(parent) }
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, operation: "create folder", errno: errno) }
            guard stat(path, &st) == 0 else { throw .io(path: path, operation: "look at folder", errno: errno) }
        } else if (st.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &st) == 0 else { throw .io(path: path, operation: "follow link", errno: errno) }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .failure(path: path, operation: "check folder", reason: "it is a file, not a folder")
        }
        var fs = statvfs()
        if statvfs(path, &fs) == 0 && (fs.f_flag & UInt(ST_RDONLY)) != 0 { throw .io(path: path, operation: "write into", errno: EROFS) }
        if access(path, W_OK | X_OK) != 0 { throw .io(path: path, operation: "write into", errno: errno) }
    }

    /// The names in `folder` a spool user may drop (no dot files), sorted.
    public static func visibleNames(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Counts the names in `folder` not starting with `.` that pass `include`, streaming the directory
    /// (constant memory even for an out/ of a million articles).
    public static func count(in folder: String, where include: (String) -> Bool = { _ in true }) -> Int {
        guard let dir = opendir(folder) else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") && include(name) { n += 1 }
        }
        return n
    }

    /// Removes files left in tmp/ by writers that died mid-write: temp files (`.<name>.<pid>.<…>.tmp`)
    /// of processes no longer alive, and anything older than `olderThan` seconds. `.gitkeep` stays.
    public func sweepTmp(olderThan seconds: Double, now: Date = Date()) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where name != ".gitkeep" {
            let path = tmp + "/" + name
            guard let m = FileStat.of(path) else { continue }
            if now.timeIntervalSince1970 - m.mtime >= seconds || Self.writerIsDead(name) { unlink(path) }
        }
    }

    /// True when a temp file name carries the pid of a process that no longer exists.
    static func writerIsDead(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        guard name.hasSuffix(".tmp"), parts.count >= 4, let pid = Int32(parts[parts.count - 3]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

/// The few facts of `stat(2)` the spool needs.
struct FileStat {
    var size: Int
    var mtime: Double
    var isRegular: Bool

    /// The facts of `path` itself: a symbolic link is described, not followed (`lstat`).
    static func of(_ path: String) -> FileStat? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        return FileStat(size: Int(st.st_size), mtime: mtime, isRegular: (st.st_mode & S_IFMT) == S_IFREG)
    }
}

/// An exclusive `flock` on the spool, held while a service runs on it.
final class SpoolLock {
    private let fd: Int32

    init(path: String) throws(SpoolError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw .io(path: path, operation: "open lock", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { close(fd); throw .locked(path: path) }
        self.fd = fd
    }

    deinit { close(fd) }
}
