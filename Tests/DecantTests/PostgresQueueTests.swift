import Foundation
import Testing
import DecantCore
import DecantSpool
import DecantPostgres
import PostgresNIO
import DecantTestSupport

/// What only the shared queue does: migrations under a lock, leases that expire and move to
/// another node, and nodes leasing side by side.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason))
struct PostgresQueueTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func lines(_ urls: [String]) -> [(url: String, line: Int)] { urls.enumerated().map { ($1, $0 + 1) } }

    @Test func nodesStartingAtOnceApplyEachMigrationExactlyOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let nodes = try await withThrowingTaskGroup(of: PostgresQueue.self) { group in
                for i in 0..<6 { group.addTask { try await database.open(node: "node-\(i)") } }
                var nodes: [PostgresQueue] = []
                for try await node in group { nodes.append(node) }
                return nodes
            }
            #expect(nodes.count == 6)
            #expect(try await nodes[0].schemaVersions() == PostgresSchema.migrations.map(\.version))
            try await nodes[1].migrate()  // again: nothing to do
            #expect(try await nodes[1].schemaVersions() == PostgresSchema.migrations.map(\.version))
            for node in nodes { await node.close() }
        }
    }

    @Test func aDatabaseMigratedByANewerDecantIsRefusedNamingTheVersion() async throws {
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            await node.close()
            try await PostgresTestDatabase.admin(database: database.name) { client in
                try await client.query("INSERT INTO schema_migrations (version, name, node) VALUES (999, 'future', 'x')")
            }
            await #expect(throws: QueueError.migration(version: 999, message: "the database's schema is newer than "
                                                       + "this decant knows (a newer version migrated it)")) {
                _ = try await database.open(node: "b")
            }
        }
    }

    @Test func aKilledNodesExpiredLeaseGoesToAnotherNodeAndItsLateOutcomeIsRefused() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a", leaseSeconds: 10), b = try await database.open(node: "b", leaseSeconds: 10)
            let url = "https://a.test/page"
            _ = try await a.enqueue(job: "j", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let old = try #require(try await a.lease(limit: 1, now: t0).first)
            #expect(try await b.lease(limit: 1, now: t0.addingTimeInterval(9)).isEmpty, "still leased")
            let taken = try #require(try await b.lease(limit: 1, now: t0.addingTimeInterval(11)).first)
            #expect(taken.url == url && taken.token != old.token)
            await #expect(throws: QueueError.leaseLost(url: url)) {
                try await a.delivered(old, status: 200, now: t0.addingTimeInterval(12))
            }
            #expect(try await a.renew([old], now: t0.addingTimeInterval(12)) == [url])
            try await b.delivered(taken, status: 200, now: t0.addingTimeInterval(12))
            #expect(try await a.state(of: url) == .delivered)
            let delivered = try await PostgresTestDatabase.admin(database: database.name) { client in
                try await client.query("SELECT count(*) FROM events WHERE kind = 'delivered'").decode(Int64.self).array()
            }
            #expect(delivered == [1])
            await a.close(); await b.close()
        }
    }

    @Test func nodesLeasingSideBySideNeverGetTheSameURL() async throws {
        try await PostgresTestDatabase.scoped { database in
            let urls = (0..<300).map { "https://h\($0 % 7).test/\($0)" }
            let first = try await database.open(node: "n0")
            _ = try await first.enqueue(job: "j", urls: Self.lines(urls), offset: 0, lines: urls.count, windowHours: 24,
                                        now: t0)
            var nodes = [first]
            for i in 1..<4 { nodes.append(try await database.open(node: "n\(i)")) }
            let t0 = self.t0
            let leased = try await withThrowingTaskGroup(of: [String].self) { group in
                for node in nodes {
                    group.addTask {
                        var mine: [String] = []
                        for _ in 0..<100 {  // bounded: 300 URLs in batches of 7 need at most 43 rounds in all
                            let batch = try await node.lease(limit: 7, now: t0)
                            if batch.isEmpty { break }
                            for lease in batch { try await node.delivered(lease, status: 200, now: t0) }
                            mine += batch.map(\.url)
                        }
                        return mine
                    }
                }
                var all: [String] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(leased.count == urls.count)
            #expect(Set(leased) == Set(urls))
            #expect(try await first.counts() == [.delivered: urls.count])
            for node in nodes { await node.close() }
        }
    }

    @Test func twoNodesEnqueuingTheSameURLsQueueEachOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let t0 = self.t0
            // In opposite orders, at once, several times: without the enqueue lock this deadlocked (40P01).
            for round in 0..<5 {
                let urls = (0..<200).map { "https://a.test/\(round)/\($0)" }
                async let ra = a.enqueue(job: "x", urls: Self.lines(urls), offset: 0, lines: 200, windowHours: 24, now: t0)
                async let rb = b.enqueue(job: "y", urls: Self.lines(urls.reversed()), offset: 0, lines: 200,
                                         windowHours: 24, now: t0)
                let (x, y) = try await (ra, rb)
                #expect(x.queued + y.queued == 200)
                #expect(x.merged + y.merged == 200)
            }
            #expect(try await a.counts() == [.pending: 1000])
            await a.close(); await b.close()
        }
    }

    @Test func aWrongPasswordIsTheServersRefusalWithoutThePassword() async throws {
        var settings = try #require(PostgresTestDatabase.settings())
        settings.password = "not-the-password"
        do {
            _ = try await PostgresQueue.open(settings: settings, node: "a", leaseSeconds: 60,
                                             logger: .init(label: "test"))
            Issue.record("a wrong password was accepted")
        } catch {
            guard case .database(_, let state, _) = error else { Issue.record("\(error)"); return }
            #expect(state == "28P01", "invalid_password")
            #expect(!"\(error)".contains("not-the-password"))
        }
    }

    @Test func anIdleNodesWaitForWorkEndsWhenAnotherNodeQueuesURLsOrALeaseExpires() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a", leaseSeconds: 1.5), b = try await database.open(node: "b", leaseSeconds: 1.5)
            var start = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await a.waitForWork(seconds: 20, now: Date()) }
                try await Task.sleep(for: .milliseconds(500))
                _ = try await b.enqueue(job: "j", urls: Self.lines(["https://w.test/1"]), offset: 0, lines: 1, windowHours: 0, now: Date())
                try await group.next()
            }
            #expect(Date().timeIntervalSince(start) < 10, "woken by the NOTIFY, not the 20 s bound")
            start = Date()
            try await a.waitForWork(seconds: 20, now: Date())
            #expect(Date().timeIntervalSince(start) < 1, "a URL is queued: no wait")
            // b leases it and dies: the lease's expiry (1.5 s) ends a's wait.
            #expect(try await b.lease(limit: 1, now: Date()).count == 1)
            start = Date()
            try await a.waitForWork(seconds: 20, now: Date())
            #expect(Date().timeIntervalSince(start) < 10, "woken when the lease expired")
            #expect(try await a.lease(limit: 1, now: Date()).count == 1)
        }
    }
}


/// `queue.postgres` resolved into connection settings: the password from a file or `PGPASSWORD`, never shown.
@Suite struct PostgresConnectionSettingsTests {
    static func config(_ url: String, passwordFile: String? = nil) -> PostgresQueueConfig {
        var config = PostgresQueueConfig()
        config.url = url
        config.passwordFile = passwordFile
        return config
    }

    @Test func thePasswordComesFromPGPASSWORDAndTheDescriptionNeverShowsIt() throws {
        let settings = try PostgresConnectionSettings.resolve(Self.config("postgres://decant@db.example:5433/queue"),
                                                              environment: ["PGPASSWORD": "s3cret"])
        #expect(settings.host == "db.example" && settings.port == 5433 && settings.user == "decant")
        #expect(settings.database == "queue" && settings.password == "s3cret" && settings.sslMode == "prefer")
        #expect("\(settings)" == "postgres://decant@db.example:5433/queue")
        #expect(!String(reflecting: settings).contains("s3cret"))
    }

    @Test func aPasswordFileWinsOverPGPASSWORDAndItsFirstLineIsThePassword() throws {
        let file = NSTemporaryDirectory() + "decant-pgpass-" + UUID().uuidString
        try Data("from-file\nignored\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let settings = try PostgresConnectionSettings.resolve(Self.config("postgres://decant@db/queue", passwordFile: file),
                                                              environment: ["PGPASSWORD": "from-env"])
        #expect(settings.password == "from-file")
        #expect(settings.port == 5432)
    }

    @Test func anUnreadablePasswordFileOrABadSSLModeIsAConfigurationErrorNamingItsKey() {
        #expect(throws: ConfigError.invalidValue(keyPath: "queue.postgres.passwordFile",
                                                 reason: "cannot be read (/nonexistent/pgpass)")) {
            try PostgresConnectionSettings.resolve(Self.config("postgres://decant@db/queue",
                                                               passwordFile: "/nonexistent/pgpass"), environment: [:])
        }
        #expect(throws: ConfigError.invalidValue(keyPath: "queue.postgres.url",
                                                 reason: "sslmode must be disable, prefer or require")) {
            try PostgresConnectionSettings.resolve(Self.config("postgres://decant@db/queue?sslmode=verify"),
                                                   environment: [:])
        }
    }
}
