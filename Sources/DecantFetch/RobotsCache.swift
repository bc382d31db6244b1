import Foundation
import Synchronization

/// robots.txt per origin, fetched once and cached; concurrent askers for one origin share one fetch.
final class RobotsCache: Sendable {
    /// What the fetcher may do on one origin.
    enum Answer: Sendable, Equatable {
        case rules(Robots)
        /// 5xx or unreachable: nothing may be fetched before `until`.
        case unavailable(reason: String, until: Date)
    }

    private enum Entry {
        case loading([CheckedContinuation<Answer?, Never>])
        case ready(Answer, expires: Date)
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let ttl: Double
    private let unavailableTTL: Double
    private let capacity: Int
    private let userAgent: String

    init(ttlSeconds: Double, unavailableSeconds: Double, userAgent: String, capacity: Int = 10_000) {
        self.ttl = ttlSeconds
        self.unavailableTTL = unavailableSeconds
        self.userAgent = userAgent
        self.capacity = max(1, capacity)
    }

    /// The answer for `origin` (`https://host:port`), fetching robots.txt with `load` when not cached.
    func answer(for origin: String, load: @Sendable (String) async -> TransferResult) async -> Answer {
        // A waiter whose loader was cancelled asks again (bounded).
        for _ in 0..<3 {
            if let answer = await attempt(origin, load: load) { return answer }
        }
        return .unavailable(reason: "robots.txt fetch was cancelled", until: Date())
    }

    private func attempt(_ origin: String, load: @Sendable (String) async -> TransferResult) async -> Answer? {
        enum Step { case cached(Answer), wait, fetch }
        let now = Date()
        // Decide under the lock: a fresh entry, a fetch already running, or our turn to fetch.
        let step: Step = entries.withLock { map in
            switch map[origin] {
            case .ready(let answer, let expires)? where expires > now: return .cached(answer)
            case .loading?: return .wait
            default:
                map[origin] = .loading([])
                return .fetch
            }
        }
        switch step {
        case .cached(let answer):
            return answer
        case .wait:
            return await withCheckedContinuation { (continuation: CheckedContinuation<Answer?, Never>) in
                let immediate: Answer?? = entries.withLock { map in
                    switch map[origin] {
                    case .loading(var waiters)?:
                        waiters.append(continuation)
                        map[origin] = .loading(waiters)
                        return nil
                    case .ready(let answer, _)?: return .some(answer)
                    case nil: return .some(nil)
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        case .fetch:
            let result = await load(origin + "/robots.txt")
            let (answer, cacheable) = interpret(result)
            let waiters: [CheckedContinuation<Answer?, Never>] = entries.withLock { map in
                var waiters: [CheckedContinuation<Answer?, Never>] = []
                if case .loading(let w)? = map[origin] { waiters = w }
                if cacheable {
                    let life = if case .rules = answer { ttl } else { unavailableTTL }
                    map[origin] = .ready(answer, expires: Date().addingTimeInterval(life))
                    evictIfFull(&map)
                } else {
                    map[origin] = nil
                }
                return waiters
            }
            for waiter in waiters { waiter.resume(returning: cacheable ? answer : nil) }
            return answer
        }
    }

    /// RFC 9309 §2.3.1: 2xx → the rules; 4xx → all allowed; 5xx or unreachable → all disallowed for now.
    private func interpret(_ result: TransferResult) -> (Answer, cacheable: Bool) {
        let retryLater = Date().addingTimeInterval(unavailableTTL)
        if let failure = result.failure {
            if failure == .cancelled { return (.unavailable(reason: "cancelled", until: Date()), false) }
            if case .bodyTooLarge = failure {} else {
                return classifyTransportFailure(failure, retryLater)
            }
        }
        if result.code != 0 && result.failure == nil {
            let failure = FetchFailure(curlCode: result.code, message: result.message, chain: result.chain,
                                       maxRedirects: 0, maxBodyBytes: Robots.maxBytes)
            return classifyTransportFailure(failure, retryLater)
        }
        switch result.status {
        case 200..<300:
            return (.rules(Robots(parsing: result.body, userAgent: userAgent)), true)
        case 429, 500...:
            return (.unavailable(reason: "HTTP \(result.status)", until: retryLater), true)
        default:
            return (.rules(.allowAll), true)  // 4xx, and redirects not followed to the end
        }
    }

    private func classifyTransportFailure(_ failure: FetchFailure, _ until: Date) -> (Answer, cacheable: Bool) {
        if failure.isTemporary { return (.unavailable(reason: failure.description, until: until), true) }
        // A permanent transport failure (refused address, TLS, ...) will fail the page itself with that reason.
        return (.rules(.allowAll), true)
    }

    private func evictIfFull(_ map: inout [String: Entry]) {
        guard map.count > capacity else { return }
        let now = Date()
        map = map.filter { if case .ready(_, let expires) = $0.value { expires > now } else { true } }
        guard map.count > capacity else { return }
        // Still full of fresh entries: drop the ones expiring soonest (a tenth of the cache).
        let ready = map.compactMap { key, entry -> (String, Date)? in
            if case .ready(_, let expires) = entry { (key, expires) } else { nil }
        }.sorted { $0.1 < $1.1 }
        for (key, _) in ready.prefix(max(1, capacity / 10)) { map[key] = nil }
    }

    var count: Int { entries.withLock { $0.count } }
}
