import Foundation
import Synchronization
import Testing
@testable import DecantSpool

struct JobFileReaderTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "job-" + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func readAll(_ path: String, offset: Int = 0, lines: Int = 0, max: Int = 8192) throws -> [JobFileReader.Line] {
        let reader = try JobFileReader(path: path, offset: offset, linesBefore: lines, maxLineBytes: max)
        var out: [JobFileReader.Line] = []
        while let line = try reader.next() { out.append(line) }
        return out
    }

    /// Counts descriptors of another thread that were closed under it.
    final class Victim: Sendable {
        private let state = Mutex((stop: false, lost: 0, checks: 0))
        var stopped: Bool { state.withLock { $0.stop } }
        var lost: Int { state.withLock { $0.lost } }
        var checks: Int { state.withLock { $0.checks } }
        func stop() { state.withLock { $0.stop = true } }
        func check(_ ok: Bool) { state.withLock { $0.checks += 1; if !ok { $0.lost += 1 } } }
    }

    @Test func aRefusedBinaryJobFileClosesItsDescriptorOnceOnly() throws {
        let path = try write([0x68, 0x00, 0x0A] + Array(repeating: 0x41, count: 64))
        defer { unlink(path) }
        // Another thread keeps opening /dev/null and checks that its descriptor stays its own.
        let victim = Victim()
        let thread = Thread {
            var null = stat()
            stat("/dev/null", &null)
            while !victim.stopped {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                for _ in 0..<20 { _ = getpid() }
                var st = stat()
                let ok = fstat(fd, &st) == 0 && st.st_rdev == null.st_rdev && (st.st_mode & S_IFMT) == S_IFCHR
                victim.check(ok)
                if ok { close(fd) }
            }
        }
        thread.start()
        defer { victim.stop() }
        for _ in 0..<5_000 {
            #expect(throws: JobFileReader.Failure.binary(path: path)) { _ = try JobFileReader(path: path) }
            if victim.lost > 0 { break }
        }
        victim.stop()
        #expect(victim.checks > 0)
        #expect(victim.lost == 0, "another thread's descriptor was closed by the refused reader")
    }

    @Test func urlsCommentsAndBlankLinesAreToldApart() throws {
        let path = try write(Array("# header\n\nhttps://a.example/1\r\n  http://b.example/x  \n".utf8))
        let lines = try readAll(path)
        #expect(lines.map(\.kind) == [.skip, .skip, .url("https://a.example/1"), .url("http://b.example/x")])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
    }

    @Test func aLastLineWithoutNewlineIsRead() throws {
        let path = try write(Array("https://a.example/1\nhttps://a.example/2".utf8))
        let lines = try readAll(path)
        #expect(lines.count == 2)
        #expect(lines.last?.kind == .url("https://a.example/2"))
        #expect(lines.last?.endOffset == 39)
    }

    @Test func malformedLinesSayWhy() throws {
        let path = try write(Array("ftp://x.example/f\nnot a url\nexample.com/page\nhttps://\n".utf8) + [0xff, 0x0a])
        let reasons = try readAll(path).compactMap { line -> String? in
            if case .malformed(_, let reason) = line.kind { return reason }
            return nil
        }
        #expect(reasons.count == 5)
        #expect(reasons[0].contains("unsupported URL scheme 'ftp'"))
        #expect(reasons[1].contains("not a URL"))
        #expect(reasons[2].contains("not a URL"))
        #expect(reasons[3].contains("host") || reasons[3].contains("invalid"))
        #expect(reasons[4].contains("UTF-8"))
    }

    @Test func readingResumesAtAnOffsetWithTheRightLineNumbers() throws {
        let path = try write(Array("https://a.example/1\nhttps://a.example/2\nhttps://a.example/3\n".utf8))
        let all = try readAll(path)
        let rest = try readAll(path, offset: all[0].endOffset, lines: 1)
        #expect(rest.map(\.kind) == [.url("https://a.example/2"), .url("https://a.example/3")])
        #expect(rest.map(\.number) == [2, 3])
    }

    @Test func anOverlongLineIsMalformedAndTheNextLineStillReads() throws {
        let long = "https://a.example/" + String(repeating: "x", count: 200_000)
        let path = try write(Array("\(long)\nhttps://a.example/ok\n".utf8))
        let lines = try readAll(path, max: 1000)
        #expect(lines.count == 2)
        if case .malformed(let text, let reason) = lines[0].kind {
            #expect(reason.contains("longer than 1000 bytes"))
            #expect(text.count < 100)
        } else {
            Issue.record("expected a malformed line")
        }
        #expect(lines[1].kind == .url("https://a.example/ok"))
    }

    @Test func aBinaryFileIsRefused() throws {
        let path = try write([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10, 0x00])
        #expect(throws: JobFileReader.Failure.binary(path: path)) { try JobFileReader(path: path) }
    }

    @Test func aMissingFileIsUnreadable() {
        #expect(throws: JobFileReader.Failure.self) { try JobFileReader(path: "/nonexistent/job") }
    }

    @Test func aLargeFileIsStreamedInChunks() throws {
        var text = ""
        for i in 0..<50_000 { text += "https://h\(i % 7).example/page/\(i)\n" }
        let path = try write(Array(text.utf8))
        let reader = try JobFileReader(path: path)
        var count = 0
        while let line = try reader.next() {
            if case .url = line.kind { count += 1 }
        }
        #expect(count == 50_000)
    }
}
