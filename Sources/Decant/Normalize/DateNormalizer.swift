/// Turns the many ways pages write dates into ISO 8601 (`2024-03-05` or `2024-03-05T10:00:00+01:00`).
///
/// A hand parser (no `DateFormatter`): ISO forms, RFC 2822, `2024/03/05`, `05.03.2024`,
/// `March 5, 2024`, `5. März 2024`, `5 de marzo de 2024`, Unix timestamps. Anything else gives nil.
public enum DateNormalizer {
    /// The ISO 8601 form of `input`, or nil when it is not a recognisable date.
    public static func normalize(_ input: String) -> String? {
        let s = input.trimmed
        if s.isEmpty || s.utf8.count > 120 { return nil }
        if let iso = isoForm(Array(s.utf8)) { return iso }
        return tokenForm(s)
    }

    // MARK: - ISO and numeric forms starting with the year

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`, optionally followed
    /// by `T` or a space, a time and a zone.
    private static func isoForm(_ b: [UInt8]) -> String? {
        var i = 0
        guard let year = digits(b, &i, exactly: 4), (1000...2999).contains(year) else { return nil }
        if i == b.count { return (1900...2100).contains(year) ? pad(year, 4) : nil }
        var month = 0, day = 0
        let sep = b[i]
        if sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: ".") {
            i += 1
            guard let m = digits(b, &i, min: 1, max: 2) else { return nil }
            month = m
            if i == b.count { return valid(year, month, 1) ? pad(year, 4) + "-" + pad(month, 2) : nil }
            guard b[i] == sep else { return nil }
            i += 1
            guard let d = digits(b, &i, min: 1, max: 2) else { return nil }
            day = d
        } else if b.count >= 8, let md = digits(b, &i, exactly: 4) {
            month = md / 100
            day = md % 100
        } else {
            return nil
        }
        guard valid(year, month, day) else { return nil }
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if i == b.count { return date }
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        while i < b.count && b[i] == 32 { i += 1 }
        if i == b.count { return date }
        guard let time = timeOfDay(b, &i) else { return date }
        while i < b.count && b[i] == 32 { i += 1 }
        if i == b.count { return date + "T" + time }
        if let zone = zone(String(decoding: b[i...], as: UTF8.self)) { return date + "T" + time + zone }
        return date + "T" + time
    }

    /// `HH:MM`, `HH:MM:SS`, with optional fraction (dropped); advances `i`.
    private static func timeOfDay(_ b: [UInt8], _ i: inout Int) -> String? {
        var j = i
        guard let h = digits(b, &j, min: 1, max: 2), j < b.count, b[j] == UInt8(ascii: ":") else { return nil }
        j += 1
        guard let m = digits(b, &j, exactly: 2) else { return nil }
        var sec = 0
        if j < b.count && b[j] == UInt8(ascii: ":") {
            j += 1
            guard let s = digits(b, &j, exactly: 2) else { return nil }
            sec = s
            if j < b.count && (b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ",")) {
                j += 1
                while j < b.count && b[j] >= 48 && b[j] <= 57 { j += 1 }
            }
        }
        guard h < 24, m < 60, sec <= 60 else { return nil }
        i = j
        return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(min(sec, 59), 2)
    }

    /// `Z`, `UTC`, `GMT`, `+01:00`, `+0100`, `+01`, and a few named zones; as `Z` or `±HH:MM`.
    static func zone(_ s: String) -> String? {
        let z = s.trimmed
        switch z.uppercased() {
        case "Z", "UTC", "GMT", "UT": return "Z"
        case "EST": return "-05:00"
        case "EDT", "AST": return "-04:00"
        case "CST": return "-06:00"
        case "CDT": return "-05:00"
        case "MST": return "-07:00"
        case "MDT": return "-06:00"
        case "PST": return "-08:00"
        case "PDT": return "-07:00"
        case "CET", "MEZ", "BST", "WAT": return "+01:00"
        case "CEST", "MESZ", "EET", "SAST": return "+02:00"
        case "EEST", "MSK": return "+03:00"
        case "IST": return "+05:30"
        case "JST", "KST": return "+09:00"
        default: break
        }
        var b = Array(z.utf8)
        if b.count > 3, z.uppercased().hasPrefix("GMT") || z.uppercased().hasPrefix("UTC") { b.removeFirst(3) }
        guard let sign = b.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        var i = 1
        guard let h = digits(b, &i, min: 1, max: 2, strict: false), h <= 14 else { return nil }
        var m = 0
        if i < b.count && b[i] == UInt8(ascii: ":") { i += 1 }
        if i < b.count {
            guard let mm = digits(b, &i, exactly: 2), mm < 60 else { return nil }
            m = mm
        }
        guard i == b.count else { return nil }
        if h == 0 && m == 0 { return "Z" }
        return String(UnicodeScalar(sign)) + pad(h, 2) + ":" + pad(m, 2)
    }

    // MARK: - Month names, day-first and month-first numeric forms

    private enum Token {
        case number(Int, digits: Int)
        case word(String)
        case time(String)
        case zone(String)
    }

    private static func tokenForm(_ s: String) -> String? {
        let tokens = tokenize(s)
        if tokens.isEmpty { return nil }
        // A Unix timestamp in seconds or milliseconds.
        if tokens.count == 1, case .number(let n, let count) = tokens[0], count == 10 || count == 13 {
            return fromUnix(count == 13 ? n / 1000 : n)
        }
        var year: Int?, month: Int?, day: Int?
        var time: String?, zone: String?
        var numbers: [(value: Int, digits: Int)] = []
        var pm: Bool?
        for token in tokens {
            switch token {
            case .number(let n, let count): numbers.append((n, count))
            case .word(let w):
                if month == nil, let m = monthNames[w] { month = m; continue }
                if w == "pm" || w == "p.m" { pm = true } else if w == "am" || w == "a.m" { pm = false }
            case .time(let t): if time == nil { time = t }
            case .zone(let z): if zone == nil { zone = z }
            }
        }
        if month != nil {
            // "March 5, 2024", "5 March 2024", "5. März 2024"
            for (n, count) in numbers {
                if count == 4, year == nil { year = n } else if count <= 2, day == nil, (1...31).contains(n) { day = n }
            }
        } else {
            // Purely numeric: "05.03.2024", "03/05/2024", "5-3-2024"
            guard numbers.count >= 3 else { return nil }
            let (a, b, c) = (numbers[0], numbers[1], numbers[2])
            guard c.digits == 4, a.digits <= 2, b.digits <= 2 else { return nil }
            year = c.value
            let dayFirst = s.contains(".") || a.value > 12
            if dayFirst {
                day = a.value; month = b.value
            } else {
                month = a.value; day = b.value  // "03/05/2024" is US month-first
            }
        }
        guard let y = year, let m = month, let d = day, valid(y, m, d) else { return nil }
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        if var t = time {
            if let pm {
                var h = Int(t.prefix(2))!
                if pm && h < 12 { h += 12 }
                if !pm && h == 12 { h = 0 }
                t = pad(h, 2) + String(t.dropFirst(2))
            }
            out += "T" + t + (zone ?? "")
        }
        return out
    }

    private static func tokenize(_ s: String) -> [Token] {
        var tokens: [Token] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                var j = i
                if let t = timeOfDay(b, &j) {
                    tokens.append(.time(t))
                    i = j
                    continue
                }
                var n = 0, count = 0
                while i < b.count, b[i] >= 48 && b[i] <= 57, count < 14 {
                    n = n * 10 + Int(b[i] - 48); count += 1; i += 1
                }
                tokens.append(.number(n, digits: count))
                // Ordinal suffixes: 1st, 2nd, 3rd, 5th, 1er, 1º
                while i < b.count, (b[i] | 0x20) >= 97 && (b[i] | 0x20) <= 122, i < b.count { i += 1 }
            } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")), i + 4 < b.count,
                      case .time? = tokens.last, b[i + 1] >= 48 && b[i + 1] <= 57 {
                var j = i + 1
                while j < b.count, (b[j] >= 48 && b[j] <= 57) || b[j] == UInt8(ascii: ":") { j += 1 }
                if let z = zone(String(decoding: b[i..<j], as: UTF8.self)) { tokens.append(.zone(z)) }
                i = j
            } else if c >= 0x80 || (c | 0x20) >= 97 && (c | 0x20) <= 122 {
                var j = i
                while j < b.count, b[j] >= 0x80 || (b[j] | 0x20) >= 97 && (b[j] | 0x20) <= 122
                    || (b[j] == UInt8(ascii: ".") && j + 1 < b.count && (b[j + 1] | 0x20) >= 97) { j += 1 }
                let word = String(decoding: b[i..<j], as: UTF8.self).lowercased()
                if case .time? = tokens.last, let z = zone(word) {
                    tokens.append(.zone(z))
                } else {
                    tokens.append(.word(word))
                }
                i = j
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// English, German, French, Spanish, Italian and Dutch month names and abbreviations.
    static let monthNames: [String: Int] = {
        let names: [[String]] = [
            ["january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "januari"],
            ["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio", "februari"],
            ["march", "mar", "märz", "maerz", "mars", "marzo", "maart", "mrt"],
            ["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
            ["may", "mai", "mayo", "maggio", "mei", "mag"],
            ["june", "jun", "juni", "juin", "junio", "giugno", "giu"],
            ["july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug"],
            ["august", "aug", "août", "aout", "agosto", "ago", "augustus"],
            ["september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set"],
            ["october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott"],
            ["november", "nov", "novembre", "noviembre"],
            ["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre"],
        ]
        var map: [String: Int] = [:]
        for (k, list) in names.enumerated() {
            for name in list {
                map[name] = k + 1
                map[name + "."] = k + 1
            }
        }
        return map
    }()

    // MARK: - Helpers

    private static func digits(_ b: [UInt8], _ i: inout Int, exactly n: Int) -> Int? {
        digits(b, &i, min: n, max: n)
    }

    /// `min` to `max` digits at `i`; `strict` rejects a longer run of digits.
    private static func digits(_ b: [UInt8], _ i: inout Int, min: Int, max: Int, strict: Bool = true) -> Int? {
        var j = i, v = 0
        while j < b.count, j - i < max, b[j] >= 48 && b[j] <= 57 {
            v = v * 10 + Int(b[j] - 48)
            j += 1
        }
        if j - i < min { return nil }
        if strict, j < b.count, b[j] >= 48 && b[j] <= 57 { return nil }  // more digits than allowed
        i = j
        return v
    }

    static func valid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        guard (1000...2999).contains(y), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Seconds since 1970 as a UTC date-time (civil-from-days, no calendar objects).
    private static func fromUnix(_ seconds: Int) -> String? {
        guard seconds > 0 else { return nil }
        let days = seconds / 86_400, rem = seconds % 86_400
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        guard (1990...2100).contains(y) else { return nil }
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(rem / 3600, 2) + ":"
            + pad(rem % 3600 / 60, 2) + ":" + pad(rem % 60, 2) + "Z"
    }
}
