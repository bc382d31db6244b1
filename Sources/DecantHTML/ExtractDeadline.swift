/// The end of one extraction's time budget, checked between stages and inside the parse.
package struct ExtractDeadline: Sendable {
    /// The whole budget, in seconds.
    package let seconds: Double
    private let end: ContinuousClock.Instant

    /// A deadline `seconds` from now (clamped to [0, 10^6] so the clock arithmetic cannot overflow).
    package init(seconds: Double) {
        self.seconds = seconds
        let clamped = seconds.isNaN ? 0 : min(max(seconds, 0), 1e6)
        end = .now + .milliseconds(Int64((clamped * 1000).rounded(.up)))
    }

    /// Seconds left (0 when past).
    package var remaining: Double {
        let left = end - .now
        guard left > .zero else { return 0 }
        return Double(left.components.seconds) + Double(left.components.attoseconds) * 1e-18
    }

    /// Throws `.timeBudgetExceeded` naming `stage` when the budget is used up.
    package func check(_ stage: ExtractStage) throws(HTMLError) {
        if ContinuousClock.now >= end { throw .timeBudgetExceeded(stage: stage, seconds: seconds) }
    }
}
