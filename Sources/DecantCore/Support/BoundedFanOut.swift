/// Runs async work over a stream of inputs with at most `limit` at once, in one task group.
package enum BoundedFanOut {
    /// Starts `work` for each input `next()` yields, never more than `limit` at a time, and hands
    /// each result to `handle` in the calling task, in the order they finish.
    package static func run<Input: Sendable, Output: Sendable>(
        limit: Int, next: () -> Input?, work: @escaping @Sendable (Input) async -> Output,
        handle: (Output) -> Void
    ) async {
        let limit = max(1, limit)
        await withTaskGroup(of: Output.self) { group in
            var running = 0
            while true {
                while running < limit, let input = next() {
                    group.addTask { await work(input) }
                    running += 1
                }
                guard let output = await group.next() else { break }
                running -= 1
                handle(output)
            }
        }
    }
}
