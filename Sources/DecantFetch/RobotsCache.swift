import Foundation
import Synchronization

/// robots.txt per origin, fetched once and cached; concurrent askers for one origin share one fetch, and
/// with `sharing` other fetchers (a cluster's nodes) share the response too.
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
    private let sharing: (any RobotsSharing)?

    init(ttlSeconds: Double, unavailableSeconds: Double, userAgent: String, capacity: Int = 10_000,
         sharing: (any RobotsSharing)? = nil) {
        self.sharing = sharing
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
            let answer: Answer, cacheable: Bool, expires: Date
            if let file = await sharing?.stored(for: origin) {
                // Another fetcher's response: its rules, its expiry.
                (answer, cacheable, expires) = (interpret(status: file.status, body: file.body, until: file.expires), true, file.expires)
            } else {
                let result = await load(origin + "/robots.txt")
                (answer, cacheable) = interpret(result)
                let life = if case .rules = answer { ttl } else { unavailableTTL }
                expires = Date().addingTimeInterval(life)
                if cacheable, let sharing, let status = Self.sharedStatus(result) {
                    await sharing.store(RobotsFile(status: status, body: result.body, expires: expires), for: origin)
                }
            }
            let waiters: [CheckedContinuation<Answer?, Never>] = entries.withLock { map in
                var waiters: [CheckedContinuation<Answer?, Never>] = []
                if case .loading(let w)? = map[origin] { waiters = w }
                if cacheable {
                    map[origin] = .ready(answer, expires: expires)
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
        return (interpret(status: result.status, body: result.body, until: retryLater), true)
    }

    /// The answer an HTTP response gives; `until` ends an unavailable one.
    private func interpret(status: Int, body: Data, until: Date) -> Answer {
        switch status {
        case 200..<300: .rules(Robots(parsing: body, userAgent: userAgent))
        case 429, 500...: .unavailable(reason: "HTTP \(status)", until: until)
        default: .rules(.allowAll)  // 4xx, and redirects not followed to the end
        }
    }

    /// The status under which `result` is shared: HTTP answers only (a transport failure, such as an
    /// unreachable host, may be this fetcher's own network).
    private static func sharedStatus(_ result: TransferResult) -> Int? {
        let answered = switch result.failure {
        case .bodyTooLarge?: true
        case nil: result.code == 0
        default: false
        }
        return answered && result.status > 0 ? result.status : nil
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
