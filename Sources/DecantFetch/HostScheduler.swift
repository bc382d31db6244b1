import DecantCore
/// Decides which queued requests may start now: a global limit, a per-host limit, and a minimum
/// delay between the starts of two requests to one host (raised by robots.txt `Crawl-delay`).
///
/// A plain value owned by the `CurlMulti` loop thread; times are monotonic nanoseconds.
struct HostScheduler<Item> {
    struct Host {
        var queue = FIFO<Item>()
        var active = 0
        var nextStart: UInt64 = 0
        var delay: UInt64 = 0
    }

    let globalLimit: Int
    let perHostLimit: Int
    private(set) var active = 0
    private(set) var queued = 0
    private var hosts: [String: Host] = [:]
    /// Hosts with queued items, visited round-robin.
    private var waiting: [String] = []
    private var cursor = 0

    init(globalLimit: Int, perHostLimit: Int) {
        self.globalLimit = max(1, globalLimit)
        self.perHostLimit = max(1, perHostLimit)
    }

    var hostCount: Int { hosts.count }

    /// Queues `item` for `host`; `delay` (ns) becomes the host's spacing between starts.
    mutating func enqueue(_ item: Item, host: String, delay: UInt64) {
        if hosts[host] == nil { hosts[host] = Host() }
        hosts[host]!.delay = delay
        if hosts[host]!.queue.isEmpty { waiting.append(host) }
        hosts[host]!.queue.append(item)
        queued += 1
    }

    /// Takes the next item allowed to start at `now`, round-robin over hosts, and counts it active.
    mutating func next(now: UInt64) -> (item: Item, host: String)? {
        guard active < globalLimit, !waiting.isEmpty else { return nil }
        for _ in 0..<waiting.count {
            if cursor >= waiting.count { cursor = 0 }
            let key = waiting[cursor]
            let host = hosts[key]!
            if host.active < perHostLimit && now >= host.nextStart {
                let item = hosts[key]!.queue.removeFirst()!
                hosts[key]!.active += 1
                hosts[key]!.nextStart = SaturatingTime.adding(now, host.delay)
                active += 1
                queued -= 1
                if hosts[key]!.queue.isEmpty {
                    waiting.remove(at: cursor)
                } else {
                    cursor += 1
                }
                return (item, key)
            }
            cursor += 1
        }
        return nil
    }

    /// Marks one started item of `host` as finished.
    mutating func finished(host: String) {
        guard hosts[host] != nil else { return }
        hosts[host]!.active -= 1
        active -= 1
    }

    /// The earliest time a waiting host's delay ends, if some host waits only for time.
    func nextWake(now: UInt64) -> UInt64? {
        guard active < globalLimit else { return nil }
        var earliest: UInt64?
        for key in waiting {
            let host = hosts[key]!
            if host.active < perHostLimit && host.nextStart > now {
                earliest = min(earliest ?? .max, host.nextStart)
            }
        }
        return earliest
    }

    /// Removes and returns the queued item matching `predicate` (a cancelled request).
    mutating func remove(where predicate: (Item) -> Bool) -> Item? {
        for (index, key) in waiting.enumerated() {
            if let item = hosts[key]!.queue.remove(where: predicate) {
                queued -= 1
                if hosts[key]!.queue.isEmpty {
                    waiting.remove(at: index)
                    if cursor > index { cursor -= 1 }
                }
                return item
            }
        }
        return nil
    }

    /// Removes every queued item (shutdown).
    mutating func removeAll() -> [Item] {
        var items: [Item] = []
        for key in waiting {
            while let item = hosts[key]!.queue.removeFirst() { items.append(item) }
        }
        waiting.removeAll()
        queued = 0
        return items
    }

    /// Forgets idle hosts whose delay has passed, so memory follows the hosts in use.
    mutating func sweep(now: UInt64) {
        hosts = hosts.filter { $0.value.active > 0 || !$0.value.queue.isEmpty || $0.value.nextStart > now }
    }
}
