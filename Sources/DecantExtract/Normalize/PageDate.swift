import Foundation

/// A calendar date as the page writes it: the page's own local day, with the time of day and the
/// UTC offset only when the page states them. Never converted to another zone.
struct PageDate: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    /// Seconds since local midnight, when the page gives a time.
    var seconds: Int?
    /// Minutes east of UTC, when the page gives a zone (`Z` is 0).
    var offsetMinutes: Int?

    /// The earliest plausible publication date.
    static let earliest = PageDate(year: 1995, month: 1, day: 1)

    init(year: Int, month: Int, day: Int, seconds: Int? = nil, offsetMinutes: Int? = nil) {
        self.year = year; self.month = month; self.day = day
        self.seconds = seconds; self.offsetMinutes = offsetMinutes
    }

    /// A valid date, or nil for impossible ones (February 30, month 13).
    init?(validYear y: Int, month m: Int, day d: Int) {
        guard Self.isValid(y, m, d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// ISO 8601: the date-time with the page's offset when both are known, else the date alone.
    var iso: String {
        let date = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        guard let seconds, let offsetMinutes else { return date }
        let time = Self.pad(seconds / 3600, 2) + ":" + Self.pad(seconds % 3600 / 60, 2) + ":" + Self.pad(seconds % 60, 2)
        return date + "T" + time + Self.zone(offsetMinutes)
    }

    /// The day alone, `YYYY-MM-DD`.
    var dayString: String { Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) }

    /// Days since 1970-01-01 of the local day (proleptic Gregorian).
    var dayNumber: Int { Self.days(year, month, day) }

    /// Seconds since 1970 in UTC, when the page gives both the time and the offset.
    var instant: Int? {
        guard let seconds, let offsetMinutes else { return nil }
        return dayNumber * 86_400 + seconds - offsetMinutes * 60
    }

    /// Stated in UTC (`Z` or `+00:00`) with a time: often a conversion of the page's local time.
    var isUTCTime: Bool { offsetMinutes == 0 && seconds != nil }

    /// The same date without time or zone.
    var dayOnly: PageDate { PageDate(year: year, month: month, day: day) }

    /// Not before 1995 and not after `reference` (with a day's slack for zones ahead of UTC when
    /// the offset is unknown, and an hour for clocks when it is known).
    func isPlausible(reference: Date) -> Bool {
        if dayNumber < Self.earliest.dayNumber { return false }
        let now = Int(reference.timeIntervalSince1970.rounded(.down))
        if let instant { return instant <= now + 3600 }
        return dayNumber <= Int((Double(now) / 86_400).rounded(.down)) + 1
    }

    /// The date of a Unix timestamp, in UTC.
    static func fromUnix(_ seconds: Int) -> PageDate? {
        guard seconds > 0 else { return nil }
        let days = seconds / 86_400
        let (y, m, d) = civil(days)
        return PageDate(year: y, month: m, day: d, seconds: seconds % 86_400, offsetMinutes: 0)
    }

    /// The local date and time of `instant` at `offsetMinutes` east of UTC.
    static func at(instant: Int, offsetMinutes: Int) -> PageDate {
        let local = instant + offsetMinutes * 60
        let days = Int((Double(local) / 86_400).rounded(.down))
        let (y, m, d) = civil(days)
        return PageDate(year: y, month: m, day: d, seconds: local - days * 86_400, offsetMinutes: offsetMinutes)
    }

    static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        guard (1000...2999).contains(y), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// `Z` or `±HH:MM`.
    static func zone(_ minutes: Int) -> String {
        if minutes == 0 { return "Z" }
        let a = abs(minutes)
        return (minutes < 0 ? "-" : "+") + pad(a / 60, 2) + ":" + pad(a % 60, 2)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days from civil (Howard Hinnant's algorithm; no calendar objects).
    private static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
