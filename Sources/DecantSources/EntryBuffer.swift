/// Collects parsed entries up to `SourceLimits.entries` and counts the ones dropped past it.
struct EntryBuffer<Element> {
    private(set) var items: [Element] = []
    /// Entries (or, for XML, elements) offered past the limit.
    private(set) var dropped = 0
    var truncated: Bool { dropped > 0 }
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// False once the limit is reached (the item is counted as dropped; the caller may stop reading).
    @discardableResult
    mutating func append(_ item: Element) -> Bool {
        guard items.count < limit else { dropped += 1; return false }
        items.append(item)
        return true
    }

    /// True when no more entries are wanted.
    var isFull: Bool { items.count >= limit }

    /// Counts `count` further entries that existed but were not read.
    mutating func drop(_ count: Int) { dropped += max(0, count) }
}
