/// Turns the many ways pages write dates into ISO 8601 (`2024-03-05` or `2024-03-05T10:00:00+01:00`).
///
/// A hand parser (no `DateFormatter`): ISO forms, RFC 2822, `2024/03/05`, `05.03.2024`, Unix
/// timestamps, and month names in every language of `DateWords` (`March 5, 2024`, `5. März 2024`,
/// `5 de marzo de 2024`, `26 октября 2020`). A time is kept only with its zone; partial dates give nil.
public enum DateNormalizer {
    /// The ISO 8601 form of `input`, or nil when it is not a recognisable full date.
    public static func normalize(_ input: String) -> String? {
        parse(input)?.iso
    }

    /// The date `input` states; numeric `03/05/2024` is read in `order`.
    static func parse(_ input: String, order: DateScanner.DayOrder = .monthFirst) -> PageDate? {
        let s = input.trimmed
        if s.isEmpty || s.utf8.count > 120 { return nil }
        let b = Array(s.utf8)
        if let (date, end) = isoPrefix(b, 0, compact: true) {
            // "2024-03-05", "2024-03-05T10:00:00Z", "2024-03-05 (updated)"; not "2024-03-0512".
            if end == b.count || !isAlphanumeric(b[end]) { return date }
        }
        if b.allSatisfy({ $0 >= 48 && $0 <= 57 }), b.count == 10 || b.count == 13 {
            // A Unix timestamp in seconds or milliseconds.
            return PageDate.fromUnix(Int(s)! / (b.count == 13 ? 1000 : 1))
        }
        return DateScanner.scan(s, order: order, limit: 1).first?.date
    }

    // MARK: - ISO forms starting with the year

    /// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (and `YYYYMMDD` when `compact`) at `i`, optionally
    /// followed by `T` or a space, a time and a zone; the date and the index after it.
    static func isoPrefix(_ b: [UInt8], _ start: Int, compact: Bool = false) -> (PageDate, Int)? {
        var i = start
        guard let year = digits(b, &i, min: 4, max: 4, strict: !compact), i < b.count else { return nil }
        var month = 0, day = 0
        let sep = b[i]
        if sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: ".") {
            i += 1
            guard let m = digits(b, &i, min: 1, max: 2), i < b.count, b[i] == sep else { return nil }
            i += 1
            guard let d = digits(b, &i, min: 1, max: 2) else { return nil }
            month = m; day = d
        } else if compact, start == 0, b.count == 8, let md = digits(b, &i, min: 4, max: 4) {
            month = md / 100; day = md % 100
        } else {
            return nil
        }
        guard var date = PageDate(validYear: year, month: month, day: day) else { return nil }
        // A time after "T" or one space.
        guard i + 1 < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 32,
              isDigit(b[i + 1]) else { return (date, i) }
        var j = i + 1
        guard let seconds = timeOfDay(b, &j) else { return (date, i) }
        date.seconds = seconds
        if let (offset, end) = zonePrefix(b, j) {
            date.offsetMinutes = offset
            j = end
        }
        return (date, j)
    }

    /// `HH:MM` or `HH:MM:SS` with an optional fraction (dropped) at `i`, as seconds; advances `i`.
    static func timeOfDay(_ b: [UInt8], _ i: inout Int) -> Int? {
        var j = i
        guard let h = digits(b, &j, min: 1, max: 2), j < b.count, b[j] == UInt8(ascii: ":") else { return nil }
        j += 1
        guard let m = digits(b, &j, min: 2, max: 2) else { return nil }
        var sec = 0
        if j + 2 < b.count, b[j] == UInt8(ascii: ":"), isDigit(b[j + 1]) {
            j += 1
            guard let s = digits(b, &j, min: 2, max: 2) else { return nil }
            sec = s
            if j + 1 < b.count, b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ","), isDigit(b[j + 1]) {
                j += 1
                while j < b.count, isDigit(b[j]) { j += 1 }
            }
        }
        guard h < 24, m < 60, sec <= 60 else { return nil }
        i = j
        return h * 3600 + m * 60 + min(sec, 59)
    }

    /// A zone right after a time: `Z`, `±HH:MM`, `±HHMM`, `±HH`, or a space and a zone name
    /// (`UTC`, `EST`, `GMT+1`); its offset in minutes and the index after it.
    static func zonePrefix(_ b: [UInt8], _ start: Int) -> (Int, Int)? {
        var i = start
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z"), i + 1 == b.count || !isLetter(b[i + 1]) {
            return (0, i + 1)
        }
        if let signed = signedOffset(b, i) { return signed }
        while i < b.count, b[i] == 32 { i += 1 }
        var j = i
        while j < b.count, isLetter(b[j]), j - i < 5 { j += 1 }
        guard j > i, j == b.count || !isLetter(b[j]) else { return nil }
        let name = String(decoding: b[i..<j], as: UTF8.self).lowercased()
        guard let base = DateWords.zones[name] else { return nil }
        if (name == "gmt" || name == "utc"), let (offset, end) = signedOffset(b, j) { return (offset, end) }
        return (base, j)
    }

    /// The offset of a zone written alone (`Z`, `UTC`, `+01:00`, `GMT+0100`, `CEST`), in minutes.
    static func zone(_ s: String) -> Int? {
        let b = Array(s.trimmed.utf8)
        guard let (offset, end) = zonePrefix(b, 0), end == b.count else { return nil }
        return offset
    }

    /// `±HH:MM`, `±HHMM` or `±HH` (at most 14 hours) at `i`.
    private static func signedOffset(_ b: [UInt8], _ start: Int) -> (Int, Int)? {
        guard start < b.count, b[start] == UInt8(ascii: "+") || b[start] == UInt8(ascii: "-") else { return nil }
        let sign = b[start] == UInt8(ascii: "-") ? -1 : 1
        var i = start + 1
        guard let h = digits(b, &i, min: 1, max: 2, strict: false), h <= 14 else { return nil }
        var m = 0
        if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
        if i + 1 < b.count, isDigit(b[i]), isDigit(b[i + 1]) {
            guard let mm = digits(b, &i, min: 2, max: 2), mm < 60 else { return nil }
            m = mm
        }
        if i < b.count, isDigit(b[i]) { return nil }
        return (sign * (h * 60 + m), i)
    }

    // MARK: - Helpers

    /// `min` to `max` digits at `i`; `strict` rejects a longer run of digits.
    static func digits(_ b: [UInt8], _ i: inout Int, min: Int, max: Int, strict: Bool = true) -> Int? {
        var j = i, v = 0
        while j < b.count, j - i < max, isDigit(b[j]) {
            v = v * 10 + Int(b[j] - 48)
            j += 1
        }
        if j - i < min { return nil }
        if strict, j < b.count, isDigit(b[j]) { return nil }  // more digits than allowed
        i = j
        return v
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) || c >= 0x80 }
}
