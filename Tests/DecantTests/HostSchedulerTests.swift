import Testing
@testable import DecantFetch

@Suite struct HostSchedulerTests {
    @Test func thePerHostAndGlobalLimitsHold() {
        var s = HostScheduler<Int>(globalLimit: 3, perHostLimit: 2)
        for i in 0..<5 { s.enqueue(i, host: "a", delay: 0) }
        for i in 10..<15 { s.enqueue(i, host: "b", delay: 0) }
        var started: [(Int, String)] = []
        while let next = s.next(now: 0) { started.append((next.item, next.host)) }
        #expect(started.count == 3)
        #expect(started.filter { $0.1 == "a" }.count <= 2)
        #expect(started.filter { $0.1 == "b" }.count <= 2)
        s.finished(host: started[0].1)
        #expect(s.next(now: 0) != nil)
        #expect(s.next(now: 0) == nil)
    }

    @Test func aHostDelaySpacesStartsAndReportsTheWakeTime() {
        var s = HostScheduler<Int>(globalLimit: 10, perHostLimit: 10)
        s.enqueue(1, host: "a", delay: 1_000)
        s.enqueue(2, host: "a", delay: 1_000)
        #expect(s.next(now: 5_000)?.item == 1)
        #expect(s.next(now: 5_500) == nil)
        #expect(s.nextWake(now: 5_500) == 6_000)
        #expect(s.next(now: 6_000)?.item == 2)
    }

    @Test func hostsAreServedRoundRobinInOrder() {
        var s = HostScheduler<String>(globalLimit: 10, perHostLimit: 10)
        for i in 0..<3 { s.enqueue("a\(i)", host: "a", delay: 0) }
        for i in 0..<3 { s.enqueue("b\(i)", host: "b", delay: 0) }
        var order: [String] = []
        while let next = s.next(now: 0) { order.append(next.item) }
        #expect(order.count == 6)
        #expect(order.filter { $0.hasPrefix("a") } == ["a0", "a1", "a2"])
        #expect(Set(order.prefix(2)) == ["a0", "b0"])
    }

    @Test func aQueuedItemCanBeRemovedAndIdleHostsAreForgotten() {
        var s = HostScheduler<Int>(globalLimit: 1, perHostLimit: 1)
        s.enqueue(1, host: "a", delay: 0)
        s.enqueue(2, host: "a", delay: 0)
        #expect(s.next(now: 0)?.item == 1)
        #expect(s.remove(where: { $0 == 2 }) == 2)
        #expect(s.queued == 0)
        s.finished(host: "a")
        s.sweep(now: 1)
        #expect(s.hostCount == 0)
    }
}
