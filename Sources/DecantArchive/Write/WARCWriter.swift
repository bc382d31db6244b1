import DecantCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes exchanges as WARC/1.1 `request` + `response` (or `revisit`) records, each its own gzip member,
/// into `decant-<time>-<node>-<n>.warc.gz` files: written as `.open`, renamed when finished, rotated at a size.
///
/// Not thread-safe: one owner calls it (the spool would keep it behind an actor or a mutex).
public final class WARCWriter {
    /// Where and how large the files are.
    public struct Options: Sendable {
        public var directory: String
        /// Names the machine or process in file names (letters, digits, `.` and `-` kept).
        public var node: String
        /// A file is finished once it reaches this many bytes (a record is never split).
        public var maxFileBytes: Int
        /// Written in each file's `warcinfo` record.
        public var software: String
        /// fsync each file before it is renamed into place.
        public var durable: Bool

        public init(directory: String, node: String = ProcessInfo.processInfo.hostName, maxFileBytes: Int = 1 << 30,
                    software: String = "Decant/0.1", durable: Bool = true) {
            self.directory = directory; self.node = node; self.maxFileBytes = maxFileBytes
            self.software = software; self.durable = durable
        }
    }

    /// Where one record went.
    public struct Written: Sendable, Equatable {
        public var file: String
        public var offset: Int
        public var recordID: String
        public var type: String
    }

    public let options: Options
    private let clock: @Sendable () -> Date
    private var fd: Int32 = -1
    private var openPath: String?
    private var size = 0
    private var serial = 0
    /// The files finished so far, in order (the last `finishedFilesKept`).
    public private(set) var finishedFiles: [String] = []

    public init(options: Options, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.options = options
        self.clock = clock
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Writes the exchange's request and response (a `revisit` for a 304); returns where each went.
    @discardableResult
    public func write(_ exchange: WARCExchange) throws(WARCWriteError) -> [Written] {
        let date = WARCRecordBuilder.date(exchange.date)
        let responseID = WARCRecordBuilder.newRecordID()
        let requestID = WARCRecordBuilder.newRecordID()
        var common: [(String, String)] = [("WARC-Date", date), ("WARC-Target-URI", exchange.url)]
        if let ip = exchange.ipAddress { common.append(("WARC-IP-Address", ip)) }
        let block = exchange.responseHead + exchange.responseBody
        let response: (type: String, data: Data)
        if exchange.status == 304 {
            var fields = [("WARC-Record-ID", responseID)] + common
            fields.append(("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"))
            if let earlier = exchange.refersTo {
                fields.append(("WARC-Refers-To-Target-URI", earlier.url))
                if let d = earlier.date { fields.append(("WARC-Refers-To-Date", WARCRecordBuilder.date(d))) }
                if let id = earlier.recordID { fields.append(("WARC-Refers-To", id)) }
            }
            fields += [("Content-Type", "application/http; msgtype=response"),
                       ("WARC-Block-Digest", WARCDigest.sha1(block))]
            response = ("revisit", WARCRecordBuilder.record(type: "revisit", fields: fields, block: block))
        } else {
            var fields = [("WARC-Record-ID", responseID)] + common + [
                ("Content-Type", "application/http; msgtype=response"),
                ("WARC-Payload-Digest", WARCDigest.sha1(exchange.responseBody)),
                ("WARC-Block-Digest", WARCDigest.sha1(block))]
            if let why = exchange.truncated { fields.append(("WARC-Truncated", why)) }
            response = ("response", WARCRecordBuilder.record(type: "response", fields: fields, block: block))
        }
        let requestFields = [("WARC-Record-ID", requestID)] + common + [
            ("WARC-Concurrent-To", responseID),
            ("Content-Type", "application/http; msgtype=request"),
            ("WARC-Block-Digest", WARCDigest.sha1(exchange.request))]
        let request = WARCRecordBuilder.record(type: "request", fields: requestFields, block: exchange.request)
        // Both records go to one file: the pair is appended, then the size is checked.
        try ensureOpen()
        let file = openPath!
        var written: [Written] = []
        let start = size
        do {
            for (type, id, data) in [(response.type, responseID, response.data), ("request", requestID, request)] {
                written.append(Written(file: finalName(file), offset: size, recordID: id, type: type))
                try append(Inflate.gzipMember(data))
            }
        } catch {
            cut(to: start)  // never half a pair: a retry writes both records again
            throw error
        }
        if size >= options.maxFileBytes { try finish() }
        return written
    }

    /// Finishes the open file (fsync, rename from `.open`); the next write opens a new one.
    public func finish() throws(WARCWriteError) {
        guard fd >= 0, let path = openPath else { return }
        if options.durable && fsync(fd) != 0 { throw .io(path: path, operation: "fsync", errno: errno) }
        close(fd)
        fd = -1
        openPath = nil
        let done = finalName(path)
        if rename(path, done) != 0 { throw .io(path: done, operation: "rename", errno: errno) }
        if options.durable {
            let dir = open(options.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 { fsync(dir); close(dir) }
        }
        finishedFiles.append(done)
        if finishedFiles.count > Self.finishedFilesKept { finishedFiles.removeFirst(finishedFiles.count - Self.finishedFilesKept) }
    }

    /// `finishedFiles` keeps only the last this many names.
    public static let finishedFilesKept = 1000

    private func finalName(_ openPath: String) -> String { String(openPath.dropLast(".open".count)) }

    private func ensureOpen() throws(WARCWriteError) {
        if fd >= 0 { return }
        do {
            try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: options.directory, operation: "mkdir", errno: EACCES)
        }
        let now = clock()
        let stamp = Self.stamp(now)
        let node = String(options.node.unicodeScalars.filter {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "-"
        }.map(Character.init))
        var path: String
        var fresh: Int32
        repeat {
            serial += 1
            path = "\(options.directory)/decant-\(stamp)-\(node.isEmpty ? "node" : node)-\(String(format: "%05d", serial)).warc.gz.open"
            fresh = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        } while fresh < 0 && errno == EEXIST
        if fresh < 0 { throw .io(path: path, operation: "create", errno: errno) }
        fd = fresh
        openPath = path
        size = 0
        let info = "software: \(options.software)\r\nformat: WARC File Format 1.1\r\n"
            + "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
        let record = WARCRecordBuilder.record(type: "warcinfo", fields: [
            ("WARC-Record-ID", WARCRecordBuilder.newRecordID()), ("WARC-Date", WARCRecordBuilder.date(now)),
            ("WARC-Filename", String(finalName(path).split(separator: "/").last ?? "")),
            ("Content-Type", "application/warc-fields"), ("WARC-Block-Digest", WARCDigest.sha1(Data(info.utf8)))],
            block: Data(info.utf8))
        do { try append(Inflate.gzipMember(record)) } catch {
            close(fd)
            unlink(path)
            fd = -1
            openPath = nil
            throw error
        }
    }

    /// `yyyyMMddHHmmssSSS` in UTC, as Heritrix-style WARC names carry it.
    static func stamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let ms = Int((date.timeIntervalSince1970 - Double(t)) * 1000)
        return String(format: "%04d%02d%02d%02d%02d%02d%03d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
    }

    private func append(_ data: Data) throws(WARCWriteError) {
        let path = openPath ?? options.directory
        let failed: Int32 = data.withUnsafeBytes { raw -> Int32 in
            WriteAll.write(fd, raw)
        }
        if failed != 0 {
            cut(to: size)  // a partly written member is cut off
            throw .io(path: path, operation: "write", errno: failed)
        }
        size += data.count
    }

    /// Truncates the open file to `offset` (the end of a whole record) and writes on from there.
    private func cut(to offset: Int) {
        _ = ftruncate(fd, off_t(offset))
        _ = lseek(fd, off_t(offset), SEEK_SET)
        size = offset
    }

    /// Renames the `.open` files a crashed writer left in `directory` into place, cut after their last
    /// whole record. Returns the files finished.
    public static func finishLeftovers(in directory: String) throws(WARCWriteError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var done: [String] = []
        for name in names.sorted() where name.hasSuffix(".warc.gz.open") {
            let path = "\(directory)/\(name)"
            var end = 0
            if let reader = try? WARCReader(path: path) {
                while let item = try? reader.next(), case .record = item { end = reader.nextOffset }
            }
            if end == 0 {
                unlink(path)
                continue
            }
            if truncate(path, off_t(end)) != 0 { throw .io(path: path, operation: "truncate", errno: errno) }
            let final = String(path.dropLast(".open".count))
            if rename(path, final) != 0 { throw .io(path: final, operation: "rename", errno: errno) }
            done.append(final)
        }
        return done
    }
}
