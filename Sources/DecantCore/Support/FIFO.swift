/// A first-in first-out queue with amortised O(1) operations.
package struct FIFO<Element> {
    private var items: [Element?] = []
    private var head = 0

    package init() {}

    package var isEmpty: Bool { head == items.count }
    package var count: Int { items.count - head }

    package mutating func append(_ item: Element) { items.append(item) }

    package mutating func removeFirst() -> Element? {
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: items.count <= 1024)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }

    package mutating func remove(where predicate: (Element) -> Bool) -> Element? {
        for i in head..<items.count {
            if let item = items[i], predicate(item) {
                items.remove(at: i)
                return item
            }
        }
        return nil
    }
}
