import Foundation
import Testing
import DecantCore
@testable import DecantSpool
import DecantPostgres

/// JSONL job options in the shared queue, as the journal keeps them: carried with the lease, newest
/// line wins, priority order with aging, and `recrawlHours` per URL.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(2)))
struct PostgresJobOptionsTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func higherPrioritiesAreLeasedFirstWithoutStarvingLowOnesAndOptionsComeWithTheLease() async throws {
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            var entries: [(url: String, line: Int, options: JobOptions)] = []
            for (i, priority) in ([0, 5, 9].flatMap { p in Array(repeating: p, count: 10) }).enumerated() {
                entries.append(("https://p\(priority).test/\(i)", i + 1, JobOptions(tags: ["p\(priority)"], priority: priority)))
            }
            _ = try await node.enqueue(job: "j.jsonl", entries: entries, offset: 0, lines: 30, windowHours: 0, now: t0)
            var order: [Int] = []
            for _ in 0..<30 {
                let batch = try await node.lease(limit: 2, now: t0)
                if batch.isEmpty { break }
                for lease in batch {
                    #expect(lease.options.tags == ["p\(lease.options.effectivePriority)"], "\(lease.options)")
                }
                order += batch.map { $0.options.effectivePriority }
            }
            #expect(order.count == 30)
            #expect(Array(order.prefix(7)) == Array(repeating: 9, count: 7), "\(order)")
            let firstZero = try #require(order.firstIndex(of: 0)), lastNine = try #require(order.lastIndex(of: 9))
            #expect(firstZero < lastNine, "an aging lease reaches priority 0 before the 9s are all gone: \(order)")
        }
    }

    @Test func aMergedURLTakesTheNewestOptionsAndRecrawlHoursZeroQueuesADeliveredOneAgain() async throws {
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            let url = "https://opts.test/page"
            _ = try await node.enqueue(job: "a", entries: [(url, 1, JobOptions(tags: ["old"]))], offset: 0, lines: 1,
                                       windowHours: 24, now: t0)
            let merged = try await node.enqueue(job: "b", entries: [(url, 1, JobOptions(tags: ["new"], priority: 8))],
                                                offset: 0, lines: 1, windowHours: 24, now: t0)
            #expect(merged.merged == 1 && merged.queued == 0)
            let lease = try #require(try await node.lease(limit: 1, now: t0).first)
            #expect(lease.options == JobOptions(tags: ["new"], priority: 8))
            try await node.delivered(lease, status: 200, now: t0)
            let recent = try await node.enqueue(job: "c", entries: [(url, 1, JobOptions())], offset: 0, lines: 1,
                                                windowHours: 24, now: t0.addingTimeInterval(60))
            #expect(recent.recent == 1, "delivered a minute ago: within the window")
            let again = try await node.enqueue(job: "d", entries: [(url, 1, JobOptions(recrawlHours: 0))], offset: 0,
                                               lines: 1, windowHours: 24, now: t0.addingTimeInterval(60))
            #expect(again.queued == 1, "recrawlHours 0 fetches it again")
            #expect(try await node.lease(limit: 1, now: t0.addingTimeInterval(61)).first?.options == JobOptions(recrawlHours: 0))
        }
    }
}
