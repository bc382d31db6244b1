import Foundation

/// How often a recurring source is polled, written `90s`, `30m`, `2h` or `1d` (a whole number and a
/// unit); between one minute and 30 days.
public struct PollInterval: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Double

    /// The shortest interval: one minute.
    public static let minimumSeconds: Double = 60
    /// The longest interval: 30 days.
    public static let maximumSeconds: Double = 30 * 86_400

    /// Why a written interval was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Not a whole number followed by `s`, `m`, `h` or `d`.
        case unreadable(String)
        /// Outside one minute … 30 days.
        case outOfRange(String)

        public var description: String {
            switch self {
            case .unreadable(let text):
                "'\(text)' is not an interval: write a whole number and s, m, h or d (90s, 30m, 2h, 1d)"
            case .outOfRange(let text): "'\(text)' is outside the allowed intervals, 1m to 30d"
            }
        }
    }

    /// An interval of `seconds`, which must be within the bounds.
    public init(seconds: Double) throws(Problem) {
        guard seconds >= Self.minimumSeconds && seconds <= Self.maximumSeconds else {
            throw .outOfRange(Self.format(seconds))
        }
        self.seconds = seconds
    }

    /// Reads `30m`-style text.
    public init(parsing text: String) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let factor = Self.units[unit.lowercased().first ?? unit],
              let count = UInt64(trimmed.dropLast()), trimmed.dropLast().allSatisfy(\.isASCII) else {
            throw .unreadable(text)
        }
        let seconds = Double(min(count, UInt64(Int32.max))) * factor
        guard seconds >= Self.minimumSeconds && seconds <= Self.maximumSeconds else { throw .outOfRange(text) }
        self.seconds = seconds
    }

    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]

    /// The interval in the largest unit that divides it (`30m`, `2h`, `1d`, `90s`).
    public var description: String { Self.format(seconds) }

    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 1, seconds == seconds.rounded(), seconds < 1e12 else { return "\(seconds)s" }
        let whole = Int64(seconds)
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where whole % size == 0 {
            return "\(whole / size)\(unit)"
        }
        return "\(whole)s"
    }
}
