import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool
import DecantTestSupport

/// An idle service sleeps: it wakes on a signal or a deadline, never on a polling tick, and
/// rewrites its status only when the status changed (issue 10).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct IdleServiceTests {
    @Test func aWaitEndsAtTheInboxSignalLongBeforeItsDeadline() async {
        let wake = Wake()
        let started = ContinuousClock.now
        let waiting = Task { await wake.wait(until: Date().addingTimeInterval(600)) }
        try? await Task.sleep(for: .milliseconds(50))
        wake.inboxChanged()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(120))  // far below the deadline, even on a loaded machine
        #expect(wake.takeInbox())
        #expect(!wake.takeInbox())
    }

    @Test func aSignalBeforeTheWaitEndsItAtOnceAndOnlyOnce() async {
        let wake = Wake()
        wake.poke()
        let started = ContinuousClock.now
        await wake.wait(until: Date().addingTimeInterval(600))
        #expect(ContinuousClock.now - started < .seconds(120))  // far below the deadline, even on a loaded machine
        // The poke was used up: the next wait lasts until its deadline.
        let second = ContinuousClock.now
        await wake.wait(until: Date().addingTimeInterval(0.3))
        #expect(ContinuousClock.now - second >= .milliseconds(250))
    }

    @Test func aCancelledWaitEnds() async {
        let wake = Wake()
        let waiting = Task { await wake.wait(until: Date().addingTimeInterval(600)) }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(120))  // far below the deadline, even on a loaded machine
    }

    @Test func changesNotedInABurstAreWrittenAtMostOnceASecond() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        let clock = ManualClock()
        let reporter = StatusReporter(layout: spool.layout, journal: journal, checkInterval: 10, clock: clock)
        // 50 real changes 20 ms apart (not shown, but the reporter cannot know): one write.
        for n in 0..<50 {
            try journal.addJob("job-\(n)")
            try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/f\(n)"))
            reporter.noteChange()
            reporter.report()
            clock.advance(by: 0.02)
        }
        #expect(reporter.writes == 1)
        #expect(reporter.nextDeadline > clock.now())
        // A second after the first write, the burst's last change is written; then nothing is due.
        clock.advance(by: 0.01)
        reporter.report()
        #expect(reporter.writes == 2)
        reporter.report()
        #expect(reporter.writes == 2)
    }

    @Test func aStatusCheckedWithoutChangesWaitsForTheCheckInterval() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        let clock = ManualClock()
        let reporter = StatusReporter(layout: spool.layout, journal: journal, checkInterval: 10, clock: clock)
        reporter.report()
        let first = reporter.nextDeadline
        #expect(first.timeIntervalSince(clock.now()) == 10)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/unannounced"))
        clock.advance(by: 9.9)
        reporter.report()
        #expect(reporter.writes == 1)  // the inbox changed, but no check is due yet
        clock.advance(by: 0.1)
        reporter.report()
        #expect(reporter.writes == 2)
    }

    @Test func anUnchangedStatusIsNotRewrittenAndAChangedOneIs() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        let reporter = StatusReporter(layout: spool.layout, journal: journal, checkInterval: 0)
        reporter.report()
        let first = try inode(spool.layout.statusFile)
        reporter.noteChange()
        reporter.report(now: Date().addingTimeInterval(2))
        #expect(try inode(spool.layout.statusFile) == first)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/new"))
        reporter.report(now: Date().addingTimeInterval(4))
        #expect(try inode(spool.layout.statusFile) != first)
        #expect(reporter.writes == 2)
    }

    @Test func anIdleServiceLeavesItsStatusFileAloneUntilSomethingHappens() async throws {
        // Rescans every 0.2 s: before, each one rewrote status.json.
        let spool = try TestSpool { $0.schedule.intervalSeconds = 0.2 }
        defer { spool.remove() }
        let stub: SpoolService.FetcherFactory = { _, _ in
            StubFetcher { StubFetcher.page($0, text: "The river bridge will be rebuilt next spring, the council decided on Tuesday after a long debate.") }
        }
        let service = spool.service(once: false, fetcher: stub)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        #expect(await waitFor(20) { (try? inode(spool.layout.statusFile)) != nil })
        let first = try inode(spool.layout.statusFile)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try inode(spool.layout.statusFile) == first)
        try spool.drop("one", "https://a.example/idle-1\n")
        #expect(await waitFor(20) { spool.files(spool.layout.out).count == 1 })
        #expect(await waitFor(5) { (try? inode(spool.layout.statusFile)) != first })
        await group.triggerGracefulShutdown()
        try await running.value
        let status = try JSONDecoder().decode(SpoolStatus.self,
                                              from: Data(contentsOf: URL(fileURLWithPath: spool.layout.statusFile)))
        #expect(status.urls["delivered"] == 1)
    }

    private func inode(_ path: String) throws -> UInt64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return UInt64(st.st_ino)
    }

    private func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
