import Foundation

/// The doubling wait shared by the fetcher's quick retries and the spool's deferrals:
/// `base × 2^step`, capped at `cap`.
package struct ExponentialBackoff: Sendable, Equatable {
    package var base: Double
    package var cap: Double

    package init(base: Double, cap: Double) {
        self.base = base
        self.cap = cap
    }

    /// The wait of step `step` (0 = the first): base, 2×base, 4×base… up to `cap`, never negative.
    package func delay(step: Int) -> Double {
        let exponent = Double(max(0, min(step, 62)))
        let wait = min(cap, base * pow(2, exponent))
        return wait.isFinite ? max(0, wait) : cap
    }
}
