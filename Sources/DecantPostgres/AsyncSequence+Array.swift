extension AsyncSequence {
    /// Every element, in order (query results here are bounded by their `LIMIT` or their batch).
    package func array() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
