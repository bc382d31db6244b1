import Foundation
import DecantCore

/// When a temporarily failing URL is tried again: exponential backoff from `queue.backoffBaseSeconds`,
/// capped at `queue.backoffMaxSeconds`, never earlier than the server asked (Retry-After).
public struct Backoff: Sendable, Equatable {
    public var baseSeconds: Double
    public var maxSeconds: Double
    public var maxAttempts: Int

    public init(_ queue: QueueConfig) {
        baseSeconds = queue.backoffBaseSeconds
        maxSeconds = queue.backoffMaxSeconds
        maxAttempts = queue.maxAttempts
    }

    /// The wait after the `attempts`-th failed round (1-based): base, 2×base, 4×base… up to the cap.
    public func delay(afterAttempt attempts: Int) -> Double {
        ExponentialBackoff(base: baseSeconds, cap: maxSeconds).delay(step: attempts - 1)
    }

    /// What to do after the `attempts`-th failed round: retry at a time, or give up.
    public enum Decision: Sendable, Equatable {
        case retry(at: Date)
        case giveUp
    }

    /// The longest wait a server's `Retry-After` can impose (30 days, the top of `queue.backoffMaxSeconds`).
    public static let longestServerWait: Double = 30 * 86_400

    /// `serverRetryAt` is the fetcher's earliest next try (Retry-After, or its own backoff), honoured
    /// up to `longestServerWait` from now.
    public func decide(attempts: Int, serverRetryAt: Date?, now: Date = Date()) -> Decision {
        if attempts >= maxAttempts { return .giveUp }
        let ours = now.addingTimeInterval(delay(afterAttempt: attempts))
        guard let serverRetryAt else { return .retry(at: ours) }
        let server = min(serverRetryAt, now.addingTimeInterval(Self.longestServerWait))
        return .retry(at: max(ours, server))
    }
}
