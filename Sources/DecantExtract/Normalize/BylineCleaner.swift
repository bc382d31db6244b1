/// Turns byline text ("By Jane Doe and John Roe, Staff Writers · March 5, 2024", "Von Max Muster")
/// into author names: without "By", roles, dates and social handles.
enum BylineCleaner {
    static let prefixes = [
        "written by", "posted by", "story by", "words by", "reporting by", "text by", "by", "von", "par", "por",
        "di", "door", "av", "autor:", "autorin:", "author:", "auteur:", "text:", "texto:", "автор:", "автор", "текст:",
    ]
    static let separators = [" | ", " · ", " • ", " — ", " – ", " - ", " / "]
    /// Words between two names ("Ann Lee and Bo Chen", "Max und Moritz").
    static let conjunctions = [" and ", " & ", " und ", " et ", " y ", " e ", " i ", " и ", " en ", " og "]
    /// Words of a role, not a name ("Staff Writer", "AP Auto Writer", "Redakteurin").
    static let roleWords: Set<String> = [
        "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
        "staff", "contributor", "contributors", "columnist", "photographer", "journalist", "producer", "intern",
        "redakteur", "redakteurin", "redaktion", "korrespondent", "korrespondentin", "journaliste", "rédacteur",
        "rédactrice", "rédaction", "correspondant", "correspondante", "envoyé", "envoyée", "redacción",
        "redaccion", "periodista", "corresponsal", "redattore", "redattrice", "redazione", "giornalista",
        "inviato", "corrispondente", "redação", "repórter", "jornalista", "correspondente", "корреспондент",
        "обозреватель", "редактор", "журналист", "redacteur", "verslaggever", "dziennikarz", "redaktor",
    ]
    /// Words that end a byline without being part of a name ("… on", "… Monday", "… Follow").
    static let trailingWords: Set<String> = {
        var s: Set<String> = ["on", "am", "le", "el", "il", "at", "the", "follow", "twitter", "email", "e-mail",
                              "facebook", "instagram", "linkedin", "mail", "and", "und", "et", "y", "e", "i"]
        s.formUnion(DateWords.weekdayNames)
        for language in DateWords.languages { s.formUnion((language.published + language.updated).map { $0.lowercased() }) }
        return s
    }()

    /// The names in `raw`, or none when it does not look like a short byline. `splitCommas` reads
    /// "Ann Lee, Bo Chen" as two names (but "Curie, Marie" as one).
    ///
    /// `structured` values (JSON-LD, meta tags) keep digits ("Channel 4 News"); bylines end at the first one.
    static func names(_ raw: String, splitCommas: Bool = true, structured: Bool = false) -> [String] {
        var t = raw.collapsedWhitespace
        if t.isEmpty || t.utf8.count > 300 { return [] }
        for sep in separators {
            if let at = t.asciiCaseInsensitiveOffset(of: sep) { t = t.utf8Split(at: at, length: 0).before }
        }
        // Social handles: "Follow @jane" is not a byline; "Jane Doe @janedoe" is Jane Doe.
        if t.utf8.contains(UInt8(ascii: "@")) {
            t = t.split(separator: " ").filter { !$0.hasPrefix("@") }.joined(separator: " ")
        }
        // Dates and numbers end the names.
        if t.utf8.contains(where: { $0 >= 48 && $0 <= 57 }), let date = DateScanner.scan(t, order: .monthFirst, limit: 1).first {
            t = t.utf8Split(at: date.range.lowerBound, length: 0).before
        }
        if !structured, let digit = t.utf8.firstIndex(where: { $0 >= 48 && $0 <= 57 }) {
            t = String(t[..<digit])
        }
        t = stripTrailing(stripPrefix(t.trimmed))
        var parts = [t]
        for separator in [";"] + conjunctions {
            parts = parts.flatMap { split($0, separator) }
        }
        if splitCommas {
            parts = parts.flatMap { part -> [String] in
                let pieces = split(part, ",")
                // "Curie, Marie": family name, given name.
                if pieces.count == 2, pieces.allSatisfy({ !$0.contains(" ") }), !pieces.contains(where: isRole) {
                    return [part]
                }
                // After a comma, a role stands alone ("TOM KRISHER, AP Auto Writer").
                return pieces.enumerated().filter { $0.offset == 0 || !isRole($0.element) }.map(\.element)
            }
        }
        var seen = Set<String>()
        var out: [String] = []
        for part in parts {
            guard let name = name(part, structured: structured, roles: true), seen.insert(name.lowercased()).inserted
            else { continue }
            out.append(name)
        }
        // A declared author that is all role words ("Contributors to Wikimedia projects") stays.
        if out.isEmpty && structured, parts.count == 1, let name = name(parts[0], structured: true, roles: false) {
            out.append(name)
        }
        return out
    }

    /// One name from one part, or nil for a role, a handle or anything else that is not a name.
    private static func name(_ part: String, structured: Bool, roles: Bool) -> String? {
        var t = stripTrailing(stripPrefix(part.trimmed))
        if trailingWords.contains(t.lowercased()) { return nil }  // "Follow" (of "Follow @jane")
        var words = t.split(separator: " ")
        if roles, let role = words.firstIndex(where: { roleWords.contains($0.lowercased()) }) {
            // "Jane Doe Staff Writer" keeps the name; "Staff Writer", "Our Foreign Staff" are no names.
            guard role >= 2, words[0].first?.isUppercase == true, !determiners.contains(words[0].lowercased()) else {
                return nil
            }
            words = Array(words[..<role])
            while let last = words.last, words.count > 1, roleModifiers.contains(last.lowercased()) { words.removeLast() }
            t = stripTrailing(words.joined(separator: " "))
            words = t.split(separator: " ")
        }
        guard t.utf8.count >= 3, t.utf8.count <= 80, (1...6).contains(words.count),
              t.contains(where: \.isLetter), structured || !t.contains(where: \.isNumber), !t.contains("@"),
              !MetadataReader.looksLikeURL(t), !t.hasSuffix(".") || words.count <= 3
        else { return nil }
        return t
    }

    /// Words before a role word that belong to the role ("Senior Political Correspondent").
    static let roleModifiers: Set<String> = [
        "senior", "chief", "deputy", "managing", "executive", "associate", "assistant", "contributing", "special",
        "staff", "political", "foreign", "national", "international", "sports", "business", "science", "tech",
        "technology", "health", "investigative", "freelance", "guest", "white", "house", "leitender", "leitende",
        "stellvertretender", "auto", "ap",
    ]

    private static let determiners: Set<String> = ["our", "the", "a", "unser", "unsere", "notre", "nuestro", "il", "la", "le"]

    private static func isRole(_ s: String) -> Bool {
        s.split(separator: " ").contains { roleWords.contains($0.lowercased()) }
    }

    private static func split(_ s: String, _ separator: String) -> [String] {
        guard ByteMatch.has(s, separator) else { return [s] }
        return s.components(separatedBy: separator).map(\.trimmed).filter { !$0.isEmpty }
    }

    /// `s` without trailing punctuation and filler words ("Jane Doe, on", "Joe Wee Monday").
    static func stripTrailing(_ s: String) -> String {
        var b = Array(s.utf8)
        let original = b.count
        while true {
            // Trailing spaces and marks: , ; : | ( and the bytes of · • – —.
            while let last = b.last {
                if last == 32 || last == 9 || last == 10 || last == 13 || ",;:|(-".utf8.contains(last) {
                    b.removeLast()
                } else if b.count >= 2, b[b.count - 2] == 0xC2, last == 0xB7 {
                    b.removeLast(2)  // ·
                } else if b.count >= 3, b[b.count - 3] == 0xE2, b[b.count - 2] == 0x80,
                          last == 0xA2 || last == 0x93 || last == 0x94 {
                    b.removeLast(3)  // • – —
                } else {
                    break
                }
            }
            guard let space = b.lastIndex(of: 32), b.count - space - 1 <= 24 else { break }
            let word = String(decoding: b[(space + 1)...], as: UTF8.self).lowercased()
            guard trailingWords.contains(word) else { break }
            b.removeSubrange(space...)
        }
        return b.count == original ? s : String(decoding: b, as: UTF8.self)
    }

    /// `s` without a leading "By", "Von", "Par", … (only before a space or colon: "Bynum" stays).
    static func stripPrefix(_ s: String) -> String {
        let lower = s.lowercased()
        for p in prefixes {
            guard lower.hasPrefix(p) else { continue }
            let rest = s.dropFirst(p.count)
            // "By Jane", "By: Jane", "Autor: Jane"; not "Bynum" or "Dixon".
            if p.hasSuffix(":") { return rest.trimmed }
            if let f = rest.first, f == " " || f == ":" { return rest.drop(while: { $0 == ":" || $0 == " " }).trimmed }
        }
        return s
    }
}

/// Finds "byline" (rank 3) or "author" (rank 2) in a class or id value, ignoring case;
/// 0 when absent or when the value also says "comment" (comment authors are not the byline).
enum BylineHint {
    static func rank(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if bytes.count < 6 { return 0 }
        var rank = 0
        var i = 0
        let n = bytes.count
        while i + 6 <= n {
            let c = bytes[i] | 0x20
            if c == UInt8(ascii: "a"), matches(bytes, i, "author") {
                // "authority-control" is no author.
                if i + 6 >= n || bytes[i + 6] | 0x20 != UInt8(ascii: "i") { rank = max(rank, 2) }
                i += 6
                continue
            }
            if c == UInt8(ascii: "b"), matches(bytes, i, "byline") { rank = 3; i += 6; continue }
            if c == UInt8(ascii: "c"), i + 7 <= n, matches(bytes, i, "comment") { return 0 }
            i += 1
        }
        return rank
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        if at + w.count > bytes.count { return false }
        for k in 0..<w.count where bytes[at + k] | 0x20 != w[k] { return false }
        return true
    }
}
