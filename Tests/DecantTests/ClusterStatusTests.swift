import Foundation
import Testing
import DecantCore
import DecantSpool
import DecantPostgres
import DecantTestSupport

/// `decant status` with the shared queue: the cluster's URLs per state and each node's leases and outcomes.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(2)))
struct ClusterStatusTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theClusterStatusCountsEachNodesLeasesAndRecentOutcomes() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let urls = (1...4).map { "https://a.test/\($0)" }
            _ = try await a.enqueue(job: "j", urls: PostgresQueueTests.lines(urls), offset: 0, lines: 4, windowHours: 0, now: t0)
            #expect(try await a.lease(limit: 2, now: t0).count == 2)
            let mine = try #require(try await b.lease(limit: 1, now: t0).first)
            try await b.delivered(mine, status: 200, now: t0)
            let status = try await a.clusterStatus(now: t0.addingTimeInterval(10), windowSeconds: 300)
            #expect(status.urls == ["pending": 1, "inflight": 2, "delivered": 1])
            #expect(status.nodes.map(\.name) == ["a", "b"])
            #expect(status.nodes.map(\.inFlight) == [2, 0])
            #expect(status.nodes.map(\.delivered) == [0, 1])
            // Outside the window, the outcome no longer counts.
            #expect(try await a.clusterStatus(now: t0.addingTimeInterval(400), windowSeconds: 300).nodes.map(\.delivered) == [0, 0])
            #expect(!status.text.contains("secret") && status.text.contains("node b: "), "\(status.text)")
            await a.close(); await b.close()
        }
    }

    @Test func decantStatusShowsTheClusterAndAnUnreachableDatabaseExitsOne() async throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let dir = NSTemporaryDirectory() + "decant-status-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: "\(dir)/spool", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "node-7")
            let settings = database.settings
            try Data("\(settings.password ?? "")\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/password"))
            func config(port: Int) -> String {
                """
                {"spool": "\(dir)/spool", "queue": {"backend": "postgres", "postgres": {
                  "url": "postgres://\(settings.user)@\(settings.host):\(port)/\(settings.database)?sslmode=disable",
                  "passwordFile": "\(dir)/password"}}}
                """
            }
            try Data(config(port: settings.port).utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
            let text = try ChildProcess.run(binary, ["status", "--config", "\(dir)/pipeline.json"], seconds: 60)
            #expect(text.status == 0, "\(text.stderr)")
            let printed = String(decoding: text.stdout, as: UTF8.self)
            #expect(printed.contains("cluster postgres://") && printed.contains("node node-7: heartbeat"), "\(printed)")
            #expect(!printed.contains(settings.password ?? "never"), "the password is never shown")
            let json = try ChildProcess.run(binary, ["status", "--json", "--config", "\(dir)/pipeline.json"], seconds: 60)
            let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
            let cluster = try #require(object["cluster"] as? [String: Any], "\(object.keys)")
            #expect((cluster["nodes"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["node-7"])
            #expect(object["urls"] != nil, "the spool's own status is still there")
            // A database that cannot be reached: said, exit 1.
            try Data(config(port: 1).utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
            let down = try ChildProcess.run(binary, ["status", "--config", "\(dir)/pipeline.json"], seconds: 60)
            #expect(down.status == 1)
            #expect(String(decoding: down.stdout, as: UTF8.self).contains("cluster: queue database unavailable"),
                    "\(String(decoding: down.stdout, as: UTF8.self))")
            await node.close()
        }
    }
}
