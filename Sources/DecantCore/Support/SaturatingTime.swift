/// Duration conversions that saturate instead of trapping: NaN and negative durations give 0, too
/// large ones the type's maximum. Every seconds → milliseconds / nanoseconds conversion goes
/// through here, so no setting or server header can crash a timer.
public enum SaturatingTime {
    /// `seconds` as whole milliseconds, rounded up (so a positive duration never becomes 0).
    public static func milliseconds(_ seconds: Double) -> Int { int((seconds * 1000).rounded(.up)) }

    /// `seconds` as whole seconds, rounded up.
    public static func wholeSeconds(_ seconds: Double) -> Int { int(seconds.rounded(.up)) }

    /// `seconds` as nanoseconds.
    public static func nanoseconds(_ seconds: Double) -> UInt64 {
        let ns = seconds * 1_000_000_000
        guard ns > 0 else { return 0 }  // also NaN
        return ns >= 18_446_744_073_709_551_616.0 ? .max : UInt64(ns)
    }

    /// `a + b`, or `UInt64.max` when the sum does not fit.
    public static func adding(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// `value` as an `Int`: NaN and negatives give 0, values past `Int.max` give `Int.max`.
    public static func int(_ value: Double) -> Int {
        guard value > 0 else { return 0 }
        return value >= 9_223_372_036_854_775_808.0 ? .max : Int(value)
    }

    /// `a × b` for non-negative counts, or `Int.max` when the product does not fit.
    public static func multiplying(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}
