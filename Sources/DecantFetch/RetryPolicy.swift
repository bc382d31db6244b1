import Foundation
import DecantCore

/// When to try a temporarily failed URL again: exponential backoff with jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable, Equatable {
    /// Immediate retries within one fetch; beyond these the URL is deferred.
    public var retries: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(retries: Int, baseDelay: Double, maxDelay: Double) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public init(_ config: FetchConfig) {
        self.init(retries: config.retries, baseDelay: Double(config.retryBaseDelayMs) / 1000,
                  maxDelay: Double(config.retryMaxDelayMs) / 1000)
    }

    /// The backoff before retry number `attempt` (0 = the first retry), with jitter:
    /// uniformly in [d/2, d] where d = min(maxDelay, baseDelay · 2^attempt).
    public func backoff(attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let d = ExponentialBackoff(base: baseDelay, cap: maxDelay).delay(step: attempt)
        return d / 2 + d / 2 * min(max(random, 0), 1)
    }

    /// Parses `Retry-After` (delay in seconds, or an HTTP-date) into seconds from `now`; nil when unreadable.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if !v.isEmpty, v.allSatisfy(\.isASCII), v.allSatisfy(\.isNumber) {
            return Double(v.prefix(9)).map { $0 }  // at most ~31 years; longer numbers are capped
        }
        guard let date = HTTPDate.parse(v, now: now) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
