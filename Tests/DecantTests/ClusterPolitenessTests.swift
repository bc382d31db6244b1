import Foundation
import Testing
import Synchronization
import DecantCore
import DecantSpool
import DecantPostgres
import DecantFetch
import DecantCluster
import DecantTestSupport
import Logging

/// Per-host limits and delays for the cluster as a whole, through the shared queue's hosts table.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(2)))
struct ClusterPolitenessTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Requests under way at once on one host, and the most seen, across every node of a test.
    final class Overlap: Sendable {
        private let state = Mutex((now: 0, most: 0, done: 0))
        func start() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func end() { state.withLock { $0.now -= 1; $0.done += 1 } }
        var most: Int { state.withLock { $0.most } }
        var done: Int { state.withLock { $0.done } }
    }

    @Test func threeNodesTogetherNeverHoldMoreSlotsOnAHostThanItsLimit() async throws {
        try await PostgresTestDatabase.scoped { database in
            var nodes: [PostgresQueue] = []
            for i in 0..<3 { nodes.append(try await database.open(node: "n\(i)")) }
            let overlap = Overlap()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    for _ in 0..<4 {  // four requests per node, twelve in all, for one host
                        group.addTask {
                            for _ in 0..<400 {  // bounded: each try waits 10 ms
                                if case .granted(let token) = try await node.reserveHost(
                                    "https://busy.test", limit: 2, delaySeconds: 0, slotSeconds: 60, now: Date()) {
                                    overlap.start()
                                    try await Task.sleep(for: .milliseconds(30))
                                    overlap.end()
                                    try await node.releaseHost(token: token)
                                    return
                                }
                                try await Task.sleep(for: .milliseconds(10))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(overlap.done == 12, "every request got its turn")
            #expect(overlap.most <= 2, "at most perHostConcurrency requests at once, whichever node")
        }
    }

    @Test func theHostsDelayHoldsAcrossNodesAndADeadNodesSlotExpires() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let host = "https://slow.test"
            guard case .granted(let first) = try await a.reserveHost(host, limit: 2, delaySeconds: 5, slotSeconds: 30, now: t0)
            else { Issue.record("the first request is granted"); return }
            try await a.releaseHost(token: first)
            // b asks one second later: the delay counts from a's start, on every node.
            #expect(try await b.reserveHost(host, limit: 2, delaySeconds: 5, slotSeconds: 30, now: t0.addingTimeInterval(1))
                    == .wait(until: t0.addingTimeInterval(5)))
            // Two slots taken at t5 and never given back (their nodes were killed).
            for at in [5.0, 10.0] {
                guard case .granted = try await b.reserveHost(host, limit: 2, delaySeconds: 5, slotSeconds: 30,
                                                              now: t0.addingTimeInterval(at))
                else { Issue.record("granted at t\(at)"); return }
            }
            #expect(try await a.reserveHost(host, limit: 2, delaySeconds: 5, slotSeconds: 30, now: t0.addingTimeInterval(20))
                    == .wait(until: t0.addingTimeInterval(35)), "full until the first slot expires")
            let status = try await a.clusterStatus(now: t0.addingTimeInterval(20))
            #expect(status.throttledHosts.map(\.host) == [host] && status.throttledHosts.first?.inFlight == 2)
            guard case .granted = try await a.reserveHost(host, limit: 2, delaySeconds: 5, slotSeconds: 30,
                                                          now: t0.addingTimeInterval(36))
            else { Issue.record("an expired slot is free again"); return }
        }
    }

    @Test func robotsStoredByOneNodeAreReadByAnotherUntilTheyExpire() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let origin = "https://rules.test"
            #expect(try await b.sharedRobots(for: origin, now: t0) == nil)
            let robots = SharedRobots(status: 200, body: Data("User-agent: *\r\nDisallow: /private\r\n".utf8),
                                      expires: t0.addingTimeInterval(3600))
            try await a.storeRobots(robots, for: origin, now: t0)
            #expect(try await b.sharedRobots(for: origin, now: t0.addingTimeInterval(60)) == robots)
            #expect(try await b.sharedRobots(for: origin, now: t0.addingTimeInterval(3601)) == nil)
        }
    }

    @Test func aStoredCrawlDelaySpacesTheClustersStartsOnThatHost() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let host = "https://slow.test"
            let robots = SharedRobots(status: 200, body: Data("User-agent: *\nCrawl-delay: 4\n".utf8), expires: t0.addingTimeInterval(3600))
            try await a.storeRobots(robots, crawlDelay: 4, for: host, now: t0)
            guard case .granted = try await b.reserveHost(host, limit: 2, delaySeconds: 0.5, slotSeconds: 30, now: t0)
            else { Issue.record("the first request is granted"); return }
            #expect(try await a.reserveHost(host, limit: 2, delaySeconds: 0.5, slotSeconds: 30, now: t0.addingTimeInterval(1))
                    == .wait(until: t0.addingTimeInterval(4)), "Crawl-delay 4 s, not the configured 0.5 s")
        }
    }

    /// Two nodes' fetchers on one database and one server: robots.txt is requested once, and the second
    /// node obeys the rules and the Crawl-delay the first one stored.
    @Test func oneNodeFetchesRobotsTxtForTheWholeCluster() async throws {
        let server = try #require(FaultServer.shared, "python3 scripts/fault_server.py did not start")
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let agent = "SharedBot-\(UUID().uuidString.prefix(8))"
            var config = FetchConfig()
            config.obeyRobots = true
            config.allowPrivateNetworks = true
            config.perHostDelayMs = 0
            config.userAgent = "\(agent)/1.0"
            let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            let fetcherA = RunningFetcher(config: config, robotsSharing: SharedRobotsStore(queue: a, userAgent: config.userAgent, logger: quiet))
            let fetcherB = RunningFetcher(config: config, robotsSharing: SharedRobotsStore(queue: b, userAgent: config.userAgent, logger: quiet))
            #expect(await fetcherA.fetch(server.url("/public/one")).kind == "fetched")
            let blocked = await fetcherB.fetch(server.url("/private/two"))
            #expect(blocked.reason == "disallowed by robots.txt (Disallow: /private)", "\(blocked.reason)")
            let count = await RunningFetcher(config: FetcherTests.config()).fetch(server.url("/count?key=robots:\(agent)"))
            #expect(count.page.map { String(decoding: $0.body, as: UTF8.self) } == "1", "robots.txt fetched once for both nodes")
            // The Crawl-delay (1 s) now spaces the cluster's starts on that origin.
            guard case .success(let target) = FetchTarget.parse(server.url("/public/one"), allowFile: false) else {
                Issue.record("the server URL parses"); return
            }
            let now = Date()
            guard case .granted = try await b.reserveHost(target.origin, limit: 4, delaySeconds: 0, slotSeconds: 30, now: now)
            else { Issue.record("the first slot is granted"); return }
            guard case .wait(let until) = try await a.reserveHost(target.origin, limit: 4, delaySeconds: 0, slotSeconds: 30, now: now)
            else { Issue.record("the next start waits for the Crawl-delay"); return }
            #expect(abs(until.timeIntervalSince(now) - 1) < 0.001, "\(until.timeIntervalSince(now))")
        }
    }
}
