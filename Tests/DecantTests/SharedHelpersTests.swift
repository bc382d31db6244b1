import Foundation
import Synchronization
import Testing
@testable import DecantCore

/// The one-of-each helpers in DecantCore: backoff, HTTP dates, streamed atomic writes, bounded fan-out.
struct SharedHelpersTests {
    @Test func backoffDoublesFromItsBaseUpToItsCap() {
        let curve = ExponentialBackoff(base: 0.5, cap: 3)
        #expect((0..<5).map { curve.delay(step: $0) } == [0.5, 1, 2, 3, 3])
        #expect(curve.delay(step: -1) == 0.5)
        #expect(ExponentialBackoff(base: 1e300, cap: 7).delay(step: 62) == 7)
    }

    @Test func httpDatesInEachFormParseAndImpossibleOnesDoNot() {
        let expected = Date(timeIntervalSince1970: 784_111_777)  // 1994-11-06 08:49:37 UTC
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994", now: now) == expected)
        #expect(HTTPDate.parse("Sun, 29 Feb 2024 00:00:00 GMT", now: now) != nil)
        #expect(HTTPDate.parse("Sun, 29 Feb 2023 00:00:00 GMT", now: now) == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 24:00:00 GMT", now: now) == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 +0200", now: now) == nil)
        #expect(HTTPDate.parse("tomorrow", now: now) == nil)
    }

    @Test func aStreamedWriteAppearsWholeOrNotAtAll() throws {
        let folder = NSTemporaryDirectory() + "decant-atomic-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let kept = try AtomicFile.write(to: "\(folder)/big") { (file: AtomicFile.Writer) throws(AtomicFile.Failure) -> Bool in
            for i in 0..<20_000 { try file.write("line \(i)\n") }  // more than one buffer
            return true
        }
        #expect(kept)
        let text = try String(contentsOfFile: "\(folder)/big", encoding: .utf8)
        #expect(text.hasSuffix("line 19999\n") && text.split(separator: "\n").count == 20_000)
        let discarded = try AtomicFile.write(to: "\(folder)/none") { (file: AtomicFile.Writer) throws(AtomicFile.Failure) -> Bool in
            try file.write("half")
            return false
        }
        #expect(!discarded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["big"])
    }

    @Test func fanOutNeverRunsMoreThanItsLimitAndHandlesEveryResult() async {
        let running = Mutex((now: 0, most: 0))
        var inputs = (0..<40).makeIterator()
        var results: [Int] = []
        await BoundedFanOut.run(limit: 3, next: { inputs.next() }, work: { n in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(2))
            running.withLock { $0.now -= 1 }
            return n * 2
        }) { results.append($0) }
        #expect(results.sorted() == (0..<40).map { $0 * 2 })
        #expect(running.withLock { $0.most } <= 3)
    }
}
