/// Finds full dates inside free text: ISO forms, numeric `d.m.y`, `y/m/d` and `m/d/y`, and
/// month names in every language of `DateWords` ("Oct 26, 2020", "26. Oktober 2020",
/// "26 октября 2020 г."), each with the time and zone written next to it and the cue before it.
struct DateScanner {
    /// How to read an ambiguous numeric date such as `03/05/2024`.
    enum DayOrder: Sendable { case dayFirst, monthFirst }

    /// A date found in the text, its UTF-8 byte range and the cue before it ("Updated", "Publié le").
    struct Found: Sendable, Equatable {
        var date: PageDate
        var range: Range<Int>
        var cue: DateRole?
    }

    /// Texts longer than this are scanned only this far.
    static let maxBytes = 16_384

    /// The dates of `text` in order, at most `limit`. `shortYears` also accepts `d.m.yy`;
    /// `defaultYear` also accepts a day and month without a year ("Nov 18, 8:19 PM").
    static func scan(_ text: String, order: DayOrder, shortYears: Bool = false, defaultYear: Int? = nil,
                     limit: Int = 8) -> [Found] {
        var bytes = Array(text.utf8.prefix(maxBytes))
        if bytes.isEmpty { return [] }
        bytes.append(0)  // a sentinel that ends every run
        var scanner = DateScanner(bytes: bytes, order: order, shortYears: shortYears, defaultYear: defaultYear)
        scanner.tokenize()
        return scanner.match(limit: limit)
    }

    /// The order of numeric dates for a page language: month first for US English.
    static func order(language: String?) -> DayOrder {
        guard let l = language?.lowercased() else { return .monthFirst }
        return l == "en" || l.hasPrefix("en-us") || l == "en_us" ? .monthFirst : .dayFirst
    }

    // MARK: - Tokens

    private enum Kind: Equatable {
        case number(Int, digits: Int)
        /// A word, lower-case, with its month number; words over 16 bytes are kept empty (no date word is that long).
        case word(String, month: Int?)
        case time(Int)
        case iso(PageDate)
        case punct(UInt8)
    }

    private struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        /// Whitespace between this token and the previous one.
        var spaced: Bool
    }

    private let bytes: [UInt8]
    private let order: DayOrder
    private let shortYears: Bool
    private let defaultYear: Int?
    private var tokens: [Token] = []

    private init(bytes: [UInt8], order: DayOrder, shortYears: Bool, defaultYear: Int?) {
        self.bytes = bytes
        self.order = order
        self.shortYears = shortYears
        self.defaultYear = defaultYear
    }

    /// The year at token `j`, or `defaultYear` (with `j` not consumed) when there is none.
    private func year(_ j: Int) -> (Int, next: Int)? {
        if let (y, yd) = number(j), yd == 4 { return (y, j + 1) }
        if let y = defaultYear, number(j) == nil { return (y, j) }
        return nil
    }

    private mutating func tokenize() {
        let b = bytes, n = b.count - 1
        var i = 0
        var spaced = false
        while i < n, tokens.count < 4000 {
            let c = b[i]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 12 { spaced = true; i += 1; continue }
            if c == 0xC2 && b[i + 1] == 0xA0 { spaced = true; i += 2; continue }  // no-break space
            let start = i
            if DateNormalizer.isDigit(c) {
                let afterDigit = i > 0 && DateNormalizer.isDigit(b[i - 1])
                if !afterDigit, i + 4 < n, DateNormalizer.isDigit(b[i + 3]),
                   b[i + 4] == UInt8(ascii: "-") || b[i + 4] == UInt8(ascii: "/") || b[i + 4] == UInt8(ascii: "."),
                   let (date, end) = DateNormalizer.isoPrefix(b, i), end <= n {
                    tokens.append(Token(kind: .iso(date), start: start, end: end, spaced: spaced))
                    i = end
                } else if let seconds = Self.time(b, &i) {
                    tokens.append(Token(kind: .time(seconds), start: start, end: i, spaced: spaced))
                } else {
                    var v = 0, count = 0
                    while DateNormalizer.isDigit(b[i]) {
                        if count < 14 { v = v * 10 + Int(b[i] - 48) }
                        count += 1
                        i += 1
                    }
                    tokens.append(Token(kind: .number(v, digits: count), start: start, end: i, spaced: spaced))
                    i = Self.skipOrdinal(b, i)
                }
            } else if let end = Self.wordEnd(b, i) {
                var word = end - i <= 16 ? Self.lowerWord(b, i, end) : ""
                i = end
                // Abbreviations keep their dot ("okt.", "a.m."): up to five letters.
                if b[i] == UInt8(ascii: "."), end - start <= 10, word.count <= 5 { word += "."; i += 1 }
                let month = word.utf8.count >= 3 ? DateWords.monthNumber[word] : nil
                tokens.append(Token(kind: .word(word, month: month), start: start, end: i, spaced: spaced))
            } else {
                let width = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                tokens.append(Token(kind: .punct(c < 0x80 ? c : 0x80), start: start, end: min(i + width, n),
                                    spaced: spaced))
                i += width
            }
            spaced = false
        }
    }

    /// The lower-case word of `b[i..<end]` (ASCII folded by hand; other scripts by `lowercased()`).
    private static func lowerWord(_ b: [UInt8], _ i: Int, _ end: Int) -> String {
        var ascii = true
        var out = [UInt8](repeating: 0, count: end - i)
        for k in i..<end {
            let c = b[k]
            if c >= 0x80 { ascii = false; break }
            out[k - i] = c >= 65 && c <= 90 ? c | 0x20 : c
        }
        return ascii ? String(decoding: out, as: UTF8.self) : String(decoding: b[i..<end], as: UTF8.self).lowercased()
    }

    /// `HH:MM[:SS]` at `i` (not part of a longer number run), advancing `i`.
    private static func time(_ b: [UInt8], _ i: inout Int) -> Int? {
        if i > 0, DateNormalizer.isDigit(b[i - 1]) { return nil }
        var j = i
        guard let s = DateNormalizer.timeOfDay(b, &j) else { return nil }
        if DateNormalizer.isDigit(b[j]) { return nil }
        i = j
        return s
    }

    /// Skips "st", "nd", "rd", "th", "er", "e", "º", "ª" after a number when a non-letter follows.
    private static func skipOrdinal(_ b: [UInt8], _ i: Int) -> Int {
        if b[i] == 0xC2, b[i + 1] == 0xBA || b[i + 1] == 0xAA { return i + 2 }
        var j = i
        while DateNormalizer.isLetter(b[j]), j - i < 3 { j += 1 }
        guard j > i, !DateNormalizer.isLetter(b[j]), b[j] < 0x80 else { return i }
        let s = String(decoding: b[i..<j], as: UTF8.self).lowercased()
        return ["st", "nd", "rd", "th", "er", "e", "o", "a", "eme", "ème"].contains(s) ? j : i
    }

    /// The end of a run of letters (ASCII or alphabetic Unicode scalars) at `i`, or nil.
    private static func wordEnd(_ b: [UInt8], _ i: Int) -> Int? {
        var j = i
        while true {
            let c = b[j]
            if DateNormalizer.isLetter(c) { j += 1; continue }
            if c >= 0xC0, let (scalar, width) = decode(b, j), scalar.properties.isAlphabetic { j += width; continue }
            break
        }
        return j > i ? j : nil
    }

    private static func decode(_ b: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
        let c = b[i]
        let width = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
        guard i + width < b.count else { return nil }
        var v = UInt32(c) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width {
            let d = b[i + k]
            guard d & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(d & 0x3F)
        }
        return Unicode.Scalar(v).map { ($0, width) }
    }

    // MARK: - Patterns

    private func number(_ k: Int) -> (value: Int, digits: Int)? {
        guard k < tokens.count, case .number(let v, let d) = tokens[k].kind else { return nil }
        return (v, d)
    }

    private func word(_ k: Int) -> String? {
        guard k < tokens.count, case .word(let w, _) = tokens[k].kind else { return nil }
        return w
    }

    private func punct(_ k: Int, _ chars: String) -> Bool {
        guard k < tokens.count, case .punct(let c) = tokens[k].kind else { return false }
        return chars.utf8.contains(c)
    }

    private func adjacent(_ k: Int) -> Bool { k < tokens.count && !tokens[k].spaced }

    private func month(_ k: Int) -> Int? {
        guard k < tokens.count, case .word(_, let m) = tokens[k].kind else { return nil }
        return m
    }

    private mutating func match(limit: Int) -> [Found] {
        var found: [Found] = []
        var k = 0
        var previousEnd = 0
        while k < tokens.count, found.count < limit {
            guard let (base, next) = date(at: k) else { k += 1; continue }
            var date = base
            var end = next
            if date.seconds == nil, let (seconds, offset, after) = timeNear(start: k, end: next) {
                date.seconds = seconds
                date.offsetMinutes = offset
                end = max(end, after)
            }
            if date.seconds == nil { date.offsetMinutes = nil }
            let startByte = tokens[k].start
            found.append(Found(date: date, range: startByte..<tokens[end - 1].end,
                               cue: cue(from: previousEnd, to: startByte)))
            previousEnd = tokens[end - 1].end
            k = end
        }
        return found
    }

    /// A date starting at token `k`, and the index of the token after it.
    private func date(at k: Int) -> (PageDate, Int)? {
        switch tokens[k].kind {
        case .iso(let d):
            return (d, k + 1)
        case .number(let a, let ad):
            if let numeric = numericDate(at: k) { return numeric }
            guard ad <= 2, (1...31).contains(a) else { return nil }
            // "5 March 2024", "5. März 2024", "5 de marzo de 2024", "5th of March, 2024"
            var j = k + 1
            if punct(j, "."), adjacent(j) { j += 1 }
            if let w = word(j), w == "de" || w == "of" || w == "del" { j += 1 }
            guard let m = month(j) else { return nil }
            j += 1
            if punct(j, ".,") { j += 1 }
            if let w = word(j), w == "de" || w == "del" || w == "of" { j += 1 }
            guard let (y, next) = year(j), let d = PageDate(validYear: y, month: m, day: a) else { return nil }
            return (d, next)
        case .word:
            // "March 5, 2024", "Oct. 26 2020", "Mar 5th, 2024"
            guard let m = month(k) else { return nil }
            var j = k + 1
            if punct(j, "."), adjacent(j) { j += 1 }
            guard let (day, dd) = number(j), dd <= 2 else { return nil }
            j += 1
            if punct(j, ",.") { j += 1 }
            guard let (y, next) = year(j), let d = PageDate(validYear: y, month: m, day: day) else { return nil }
            return (d, next)
        default:
            return nil
        }
    }

    /// `05.03.2024`, `2024/3/5`, `03/05/2024` (read in `order` unless a part exceeds 12), `5.3.24`,
    /// and the German `4. 2. 2022`.
    private func numericDate(at k: Int) -> (PageDate, Int)? {
        if let spaced = spacedDottedDate(at: k) { return spaced }
        guard let (a, ad) = number(k), k + 4 < tokens.count, case .punct(let sep) = tokens[k + 1].kind,
              sep == UInt8(ascii: ".") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-"),
              adjacent(k + 1), let (b, bd) = number(k + 2), adjacent(k + 2),
              case .punct(sep) = tokens[k + 3].kind, adjacent(k + 3), let (c, cd) = number(k + 4), adjacent(k + 4)
        else { return nil }
        // Part of a longer chain (a version number, an IP address)?
        if k >= 2, case .punct(sep) = tokens[k - 1].kind, adjacent(k), number(k - 2) != nil { return nil }
        if k + 6 < tokens.count, case .punct(sep) = tokens[k + 5].kind, adjacent(k + 5), number(k + 6) != nil,
           adjacent(k + 6) { return nil }
        var y = 0, m = 0, d = 0
        if ad == 4, bd <= 2, cd <= 2 {
            (y, m, d) = (a, b, c)
        } else if ad <= 2, bd <= 2, cd == 4 || (cd == 2 && shortYears && sep == UInt8(ascii: ".")) {
            y = cd == 4 ? c : (c < 90 ? 2000 + c : 1900 + c)
            let dayFirst = sep == UInt8(ascii: ".") || a > 12 || (b <= 12 && order == .dayFirst)
            (d, m) = dayFirst ? (a, b) : (b, a)
        } else {
            return nil
        }
        guard let date = PageDate(validYear: y, month: m, day: d) else { return nil }
        return (date, k + 5)
    }

    /// `4. 2. 2022`: day and month each followed by a dot, spaces between, a four-digit year.
    private func spacedDottedDate(at k: Int) -> (PageDate, Int)? {
        guard k + 4 < tokens.count, let (d, dd) = number(k), dd <= 2, punct(k + 1, "."), adjacent(k + 1),
              tokens[k + 2].spaced, let (m, md) = number(k + 2), md <= 2, punct(k + 3, "."), adjacent(k + 3),
              let (y, yd) = number(k + 4), yd == 4, tokens[k + 4].spaced,
              let date = PageDate(validYear: y, month: m, day: d) else { return nil }
        return (date, k + 5)
    }

    /// A time just after the date (or just before it), with am/pm and a zone: seconds, offset, end token.
    private func timeNear(start: Int, end: Int) -> (Int, Int?, Int)? {
        var j = end
        var skipped = 0
        while j < tokens.count, skipped < 3, isFiller(j) { j += 1; skipped += 1 }
        if j < tokens.count, case .time(let s) = tokens[j].kind {
            return clock(s, after: j + 1)
        }
        // "10:30 AM, March 5, 2024", "10:01 pm PST, Tuesday, 19 November": a time just before,
        // with only punctuation, am/pm, a zone, a weekday or a small word between.
        var p = start - 1
        while p >= 0, start - p <= 8 {
            switch tokens[p].kind {
            case .time(let s):
                let (seconds, offset, _) = clock(s, after: p + 1)
                return (seconds, offset, end)
            case .punct:
                break
            case .word(let w, _):
                let plain = w.hasSuffix(".") ? String(w.dropLast()) : w
                guard Self.fillers.contains(w) || DateWords.weekdayNames.contains(plain) || DateWords.zones[plain] != nil
                        || DateWords.meridiem[plain] != nil || plain == "m" else { return nil }
            default:
                return nil
            }
            p -= 1
        }
        return nil
    }

    /// Applies am/pm and reads a zone after the time token.
    private func clock(_ s: Int, after: Int) -> (Int, Int?, Int) {
        var seconds = s
        var j = after
        if let w = word(j) {
            let plain = w.hasSuffix(".") ? String(w.dropLast()) : w
            var pm: Bool? = DateWords.meridiem[plain]
            if pm == nil, plain == "a" || plain == "p", word(j + 1) == "m." || word(j + 1) == "m" {
                pm = plain == "p"
                j += 1
            }
            if let pm {
                let h = seconds / 3600
                if pm && h < 12 { seconds += 12 * 3600 }
                if !pm && h == 12 { seconds -= 12 * 3600 }
                j += 1
            }
        }
        if let w = word(j), let base = DateWords.zones[w.hasSuffix(".") ? String(w.dropLast()) : w] {
            if (w == "gmt" || w == "utc"), let (offset, end) = signed(j + 1) { return (seconds, offset, end) }
            return (seconds, base, j + 1)
        }
        if let (offset, end) = signed(j) { return (seconds, offset, end) }
        return (seconds, nil, j)
    }

    /// `+01:00`, `-0500`, `+01` right after the previous token.
    private func signed(_ j: Int) -> (Int, Int)? {
        guard j + 1 < tokens.count, punct(j, "+-"), adjacent(j + 1) else { return nil }
        let sign = punct(j, "-") ? -1 : 1
        switch tokens[j + 1].kind {
        case .time(let s) where s % 60 == 0 && s / 3600 <= 14:
            return (sign * s / 60, j + 2)
        case .number(let v, let d) where d == 4 && v / 100 <= 14 && v % 100 < 60:
            return (sign * (v / 100 * 60 + v % 100), j + 2)
        case .number(let v, let d) where d <= 2 && v <= 14:
            return (sign * v * 60, j + 2)
        default:
            return nil
        }
    }

    /// Punctuation and small words between a date and its time ("at", "um", "à", ",", "|").
    private func isFiller(_ j: Int) -> Bool {
        switch tokens[j].kind {
        case .punct(let c): return c != UInt8(ascii: "+")
        case .word(let w, _): return Self.fillers.contains(w)
        default: return false
        }
    }

    private static let fillers: Set<String> = {
        var s = Set(DateWords.languages.flatMap(\.connectors))
        s.formUnion(["at", "um", "à", "a", "alle", "às", "om", "o", "godz", "godz.", "в", "ore", "le", "el", "las"])
        s.subtract(["am", "pm", "uhr", "h", "hs"])
        return s
    }()

    /// The nearest cue in the text between the previous date and this one (at most 48 bytes back).
    private func cue(from previousEnd: Int, to start: Int) -> DateRole? {
        let from = max(previousEnd, start - 48)
        guard from < start else { return nil }
        var lo = from
        while lo < start, bytes[lo] & 0xC0 == 0x80 { lo += 1 }  // not inside a character
        let window = bytes[lo..<start].allSatisfy({ $0 < 0x80 })
            ? Array(bytes[lo..<start]) : Array(String(decoding: bytes[lo..<start], as: UTF8.self).lowercased().utf8)
        // The cue that ends last wins; a cue starts a word ("dated" is not the end of "updated").
        var best: (end: Int, length: Int, role: DateRole)?
        window.withUnsafeBufferPointer { hay in
            for (cues, role) in [(Self.updatedCues, DateRole.modified), (Self.publishedCues, .published)] {
                for cue in cues {
                    var end = hay.count
                    while let at = ByteMatch.lastIndex(hay, cue, before: end) {
                        if at == 0 || !Self.isLetterByte(hay[at - 1]) {
                            let e = at + cue.count
                            if best.map({ e > $0.end || (e == $0.end && cue.count > $0.length) }) ?? true {
                                best = (e, cue.count, role)
                            }
                            break
                        }
                        end = at + cue.count - 1
                    }
                }
            }
        }
        return best?.role
    }

    private static let updatedCues = ByteMatch.needles(DateWords.updatedCues)
    private static let publishedCues = ByteMatch.needles(DateWords.publishedCues)

    /// An ASCII letter or a byte of a multi-byte character (letters in the supported scripts).
    private static func isLetterByte(_ c: UInt8) -> Bool { DateNormalizer.isLetter(c) || c >= 0x80 }
}
