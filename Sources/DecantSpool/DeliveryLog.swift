import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import DecantCore

/// `out/index.jsonl`: one JSON line per delivered article, appended (and fsynced) only after the
/// article's files are in place, from the lines the journal queued in the delivery's transaction.
///
/// Exact across `kill -9`: every line carries the journal's sequence number `seq`, so `sync` skips
/// the lines already in the file and appends the rest; a torn last line is cut off first. The file
/// of the current UTC day is `index.jsonl`; at the first line of a later day it is renamed to
/// `index-YYYY-MM-DD.jsonl` (the day of its first line) and a new `index.jsonl` begins (`tail -F`).
public final class DeliveryLog: Sendable {
    /// One line of the log.
    public struct Line: Codable, Sendable, Equatable {
        public var seq: Int
        public var id: String
        public var url: String
        public var title: String
        public var published: String?
        public var files: [String]
        /// When the article was delivered (ISO 8601, UTC).
        public var time: String
    }

    private struct State {
        var loaded = false
        /// The last sequence number in the files.
        var lastSeq = 0
        /// The UTC day (`YYYY-MM-DD`) of `index.jsonl`'s first line, nil while it is empty.
        var day: String?
    }

    public let folder: String
    private let journal: Journal
    private let clock: @Sendable () -> Date
    private let state = Mutex(State())
    /// Lines appended per journal read (one write and one fsync each).
    static let batch = 256
    /// The longest line `lastLine` and `firstLine` look for; titles and URLs are cut well below.
    static let longestLine = 1 << 20
    static let longestTitle = 2000

    public init(folder: String, journal: Journal, clock: @escaping @Sendable () -> Date = Date.init) {
        self.folder = folder
        self.journal = journal
        self.clock = clock
    }

    public var path: String { folder + "/index.jsonl" }

    /// The file name of the lines of `day` once rotated (`index-2026-12-02.jsonl`).
    public func rotatedPath(day: String, n: Int = 1) -> String {
        folder + "/index-\(day)" + (n == 1 ? "" : "-\(n)") + ".jsonl"
    }

    /// Appends every line the journal has queued and the files lack, then forgets them in the journal.
    /// The first call repairs the file (a torn tail is cut off). Safe to call from any thread.
    public func sync() throws(SpoolError) {
        try state.withLock { (s: inout State) throws(SpoolError) -> Void in
            if !s.loaded {
                s = try load()
                try journal.reserveLogSequence(after: s.lastSeq)
            }
            while true {
                let lines = try journal.pendingLogLines(after: 0, limit: Self.batch)
                if lines.isEmpty { return }
                let fresh = lines.filter { $0.seq > s.lastSeq }
                if let last = fresh.last {
                    let today = Self.day(clock())
                    if let day = s.day, day < today {
                        try rotate(day: day)
                        s.day = nil
                    }
                    var data = Data()
                    for line in fresh { data += Self.render(line) }
                    try append(data)
                    if s.day == nil { s.day = Self.day(Date(timeIntervalSince1970: fresh[0].time)) }
                    s.lastSeq = last.seq
                }
                try journal.logged(through: lines.last!.seq)
            }
        }
    }

    static func render(_ line: Journal.LogLine) -> Data {
        let value = Line(seq: line.seq, id: line.articleId, url: line.url, title: line.title.utf8.count > longestTitle ? line.title.prefix(utf8Bytes: longestTitle) : line.title,
                         published: line.published, files: line.files,
                         time: Delivery.iso(line.time))
        return Delivery.json(value, style: .compact)
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    // MARK: Files

    /// Cuts a torn last line off `index.jsonl` and reads the last sequence number and the file's day.
    private func load() throws(SpoolError) -> State {
        var s = State(loaded: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open the delivery log", errno: errno) }
        defer { close(fd) }
        let size = Int(lseek(fd, 0, SEEK_END))
        let end = try Self.completeLength(fd, size: size, path: path)
        if end < size {
            guard ftruncate(fd, off_t(end)) == 0, fsync(fd) == 0 else {
                throw .io(path: path, operation: "cut the torn last line of the delivery log", errno: errno)
            }
        }
        if end > 0 {
            s.lastSeq = Self.lastLine(fd, end: end)?.seq ?? 0
            if let first = Self.firstLine(fd, end: end), let date = try? Date(first.time, strategy: .iso8601) {
                s.day = Self.day(date)
            }
        } else {
            // An empty current file just after a rotation: the numbers go on from the newest dated
            // files (the last few by name: `index-D-2.jsonl` sorts before `index-D.jsonl`).
            for file in rotatedFiles().suffix(3) {
                let fd = open(file, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                defer { close(fd) }
                let size = Int(lseek(fd, 0, SEEK_END))
                s.lastSeq = max(s.lastSeq, Self.lastLine(fd, end: size)?.seq ?? 0)
            }
        }
        return s
    }

    /// The dated files, oldest first.
    func rotatedFiles() -> [String] {
        SpoolLayout.visibleNames(in: folder).filter { $0.hasPrefix("index-") && $0.hasSuffix(".jsonl") }
            .map { folder + "/" + $0 }
    }

    /// The length of the file up to and including its last newline.
    private static func completeLength(_ fd: Int32, size: Int, path: String) throws(SpoolError) -> Int {
        var end = size
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while end > 0 {
            let from = max(0, end - chunk.count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - from, off_t(from)) }
            guard n == end - from else { throw .io(path: path, operation: "read the delivery log", errno: errno) }
            if let i = chunk[0..<n].lastIndex(of: 0x0A) { return from + i + 1 }
            end = from
        }
        return 0
    }

    private static func lastLine(_ fd: Int32, end: Int) -> Line? {
        let from = max(0, end - longestLine)
        var bytes = [UInt8](repeating: 0, count: end - from)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - from, off_t(from)) }
        guard n == end - from else { return nil }
        let body = bytes.dropLast(bytes.last == 0x0A ? 1 : 0)
        let start = body.lastIndex(of: 0x0A).map { $0 + 1 } ?? body.startIndex
        return try? JSONDecoder().decode(Line.self, from: Data(body[start...]))
    }

    private static func firstLine(_ fd: Int32, end: Int) -> Line? {
        var bytes = [UInt8](repeating: 0, count: min(end, longestLine))
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0, let newline = bytes[0..<n].firstIndex(of: 0x0A) else { return nil }
        return try? JSONDecoder().decode(Line.self, from: Data(bytes[0..<newline]))
    }

    private func append(_ data: Data) throws(SpoolError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open the delivery log", errno: errno) }
        defer { close(fd) }
        let code = data.withUnsafeBytes { WriteAll.write(fd, $0) }
        if code != 0 { throw .io(path: path, operation: "append to the delivery log", errno: code) }
        if fsync(fd) != 0 { throw .io(path: path, operation: "fsync the delivery log", errno: errno) }
    }

    /// Renames `index.jsonl` to the first free `index-<day>[-n].jsonl` and syncs the folder.
    private func rotate(day: String) throws(SpoolError) {
        for n in 1...1000 {
            let target = rotatedPath(day: day, n: n)
            if access(target, F_OK) == 0 { continue }
            guard rename(path, target) == 0 else { throw .io(path: path, operation: "rotate the delivery log", errno: errno) }
            let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 { fsync(dir); close(dir) }
            return
        }
        throw .io(path: path, operation: "find a free name to rotate the delivery log", errno: EEXIST)
    }
}
