import Foundation

/// HTTP-date parsing (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms.
/// Reads the fields by hand: no formatter or locale is made per call.
package enum HTTPDate {
    /// The date `text` names, nil when it is none of the three forms (or names no real day).
    /// A two-digit RFC 850 year is taken as the latest year ending in those digits not more than
    /// 50 years after `now`.
    package static func parse(_ text: String, now: Date = Date()) -> Date? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words.count {
        case 6 where words[0].hasSuffix(","):  // Sun, 06 Nov 1994 08:49:37 GMT
            guard isZone(words[5]), let day = Int(digits: words[1], count: 1...2), let month = month(words[2]),
                  let year = Int(digits: words[3], count: 4) else { return nil }
            return date(year, month, day, words[4])
        case 4 where words[0].hasSuffix(","):  // Sunday, 06-Nov-94 08:49:37 GMT
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard isZone(words[3]), parts.count == 3, let day = Int(digits: parts[0], count: 1...2),
                  let month = month(parts[1]), let yy = Int(digits: parts[2], count: 2) else { return nil }
            let current = utc.component(.year, from: now)
            var year = current - current % 100 + yy
            if year > current + 50 { year -= 100 }
            return date(year, month, day, words[2])
        case 5:  // Sun Nov  6 08:49:37 1994
            guard let month = month(words[1]), let day = Int(digits: words[2], count: 1...2),
                  let year = Int(digits: words[4], count: 4) else { return nil }
            return date(year, month, day, words[3])
        default:
            return nil
        }
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        return calendar
    }()

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func month(_ word: String) -> Int? {
        months.firstIndex(of: word.lowercased()).map { $0 + 1 }
    }

    private static func isZone(_ word: String) -> Bool { word == "GMT" || word == "UTC" }

    /// The instant of a civil date and an `HH:mm:ss` time in UTC; nil for an impossible one.
    private static func date(_ year: Int, _ month: Int, _ day: Int, _ time: String) -> Date? {
        let hms = time.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard hms.count == 3, let h = Int(digits: hms[0], count: 2), let m = Int(digits: hms[1], count: 2),
              let s = Int(digits: hms[2], count: 2), h < 24, m < 60, s <= 60 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...lengths[month - 1]).contains(day) else { return nil }
        // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + m * 60 + s))
    }
}

private extension Int {
    /// `text` as a number when it is only ASCII digits, with a length in `count`.
    init?(digits text: String, count: ClosedRange<Int>) {
        guard count.contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = Int(text) else { return nil }
        self = value
    }

    init?(digits text: String, count: Int) { self.init(digits: text, count: count...count) }
}
