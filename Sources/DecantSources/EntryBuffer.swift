/// Collects parsed entries up to `SourceLimits.entries` and remembers whether any were dropped.
struct EntryBuffer<Element> {
    private(set) var items: [Element] = []
    private(set) var truncated = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// False once the limit is reached (the caller stops reading).
    @discardableResult
    mutating func append(_ item: Element) -> Bool {
        guard items.count < limit else { truncated = true; return false }
        items.append(item)
        return true
    }

    /// True when no more entries are wanted.
    var isFull: Bool { items.count >= limit }

    /// Marks that a further entry existed but was not read.
    mutating func markTruncated() { truncated = true }
}
