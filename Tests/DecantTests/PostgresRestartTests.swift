import Foundation
import Logging
import Testing
import DecantCore
import DecantSpool
import DecantPostgres
import DecantTestSupport

/// A database restart under a node: its operations fail as transient (`isTransient`) while the server
/// is down, and work again once it is back, on the same queue object, with its lease still held.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(3)))
struct PostgresRestartTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg-test-cluster.sh").path

    static func cluster(_ command: String, _ dir: String) throws -> String {
        let run = try ChildProcess.run(script, [command, dir], seconds: 120)
        guard run.status == 0 else { throw PostgresTestError.noCluster }
        return String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aNodeGoesOnAfterTheDatabaseRestartsAndItsErrorsMeanwhileAreTransient() async throws {
        // A cluster of its own: the other tests' cluster is not restarted under them.
        let dir = NSTemporaryDirectory() + "decant-pg-restart-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { _ = try? Self.cluster("stop", dir) }
        let url = try #require(URLComponents(string: try Self.cluster("start", dir)))
        let settings = PostgresConnectionSettings(host: url.host!, port: url.port!, user: url.user!, database: "decant",
                                                  password: url.password, sslMode: "disable", poolSize: 2)
        let node = try await PostgresQueue.open(settings: settings, node: "a", leaseSeconds: 600,
                                                logger: Logger(label: "test.restart"), operationTimeout: 5)
        let page = "https://restart.test/page"
        _ = try await node.enqueue(job: "j", urls: [(page, 1)], offset: 0, lines: 1, windowHours: 24, now: Date())
        let lease = try #require(try await node.lease(limit: 1, now: Date()).first)

        _ = try Self.cluster("down", dir)
        let failure = await SpoolThreadsTests.within(seconds: 60) { () -> QueueError? in
            do throws(QueueError) { _ = try await node.counts(); return nil } catch { return error }
        }
        let error = try #require(failure ?? nil, "an operation with the server down fails (within its 5 s bound: the pool alone would wait for ever)")
        #expect(error.isTransient, "\(error)")

        _ = try Self.cluster("up", dir)
        var counts: [URLState: Int]?
        let end = ContinuousClock.now + .seconds(60)
        while counts == nil && ContinuousClock.now < end {
            counts = try? await node.counts()
            if counts == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(counts == [.inflight: 1], "the same queue works again once the server is back")
        try await node.delivered(lease, status: 200, now: Date())
        #expect(try await node.state(of: page) == .delivered)
        await node.close()
    }
}
