import DecantHTML
/// The slower look for dates, run only when the page's markup states none: JSON in scripts (and
/// JSON-LD that does not parse), elements whose class or id names a date or a byline, and date
/// attributes (`data-timestamp`, `<abbr title>`). One bounded walk over the page.
struct DateSearch {
    /// The first publication and update dates of script JSON, ld+json texts first.
    private(set) var scriptPublished: PageDate?
    private(set) var scriptModified: PageDate?
    /// Short texts of date and byline elements, with their place and what their class says.
    private(set) var hints: [(order: Int, text: String, role: DateRole)] = []
    /// Dates of attributes, with their place.
    private(set) var attributes: [(order: Int, date: PageDate, role: DateRole)] = []
    /// Short text nodes with a digit (dates in lines of their own, "Erschienen am 01.11.2023"), with
    /// their place and the end of the text before them (where a cue such as "Updated" may stand).
    private(set) var shortTexts: [(order: Int, text: String, lead: String)] = []
    /// The headline's place in this walk's numbering.
    private(set) var headlineOrder: Int?
    /// The first heading (`<h1>`–`<h4>`) whose text is the page's title, when there is no `<h1>`.
    private(set) var titleHeading: Node?

    static let maxHints = 60, maxAttributes = 40, hintBytes = 160, maxShortTexts = 400, shortTextBytes = 160
    /// Script bytes read per page, in all.
    static let maxScriptBytes = 4_000_000

    private let order: DateScanner.DayOrder
    private let accept: (PageDate) -> Bool
    private let titleKey: String?
    /// The last bytes of the last visible text node walked past.
    private var lastText: [UInt8] = []
    private var elements = 0
    private var scriptBytes = 0
    private var ldPublished: PageDate?, ldModified: PageDate?

    /// Walks `root`; `headline` is the main `<h1>` (else a heading matching `title` is looked
    /// for), `accept` the plausibility rule.
    init(root: Node, headline: Node?, title: String?, ldScripts: [String], order: DateScanner.DayOrder,
         accept: @escaping (PageDate) -> Bool) {
        self.order = order
        self.accept = accept
        self.titleKey = headline == nil ? title.map { TextKey.make($0) }.flatMap { $0.isEmpty ? nil : $0 } : nil
        for script in ldScripts {
            var bytes = Array(script.utf8)
            bytes.append(0)
            bytes.withUnsafeBufferPointer { scanJSON($0.baseAddress!, count: $0.count - 1) }
        }
        (ldPublished, ldModified) = (scriptPublished, scriptModified)
        walk(root, headline: headline)
        scriptPublished = ldPublished ?? scriptPublished
        scriptModified = ldModified ?? scriptModified
    }

    private mutating func walk(_ root: Node, headline: Node?) {
        var n = root
        outer: while true {
            if n.isElement, visit(n, headline: headline), let child = n.firstChild {
                n = child
                continue
            }
            if n.isText { text(n) }
            while true {
                if n == root { break outer }
                if let s = n.next { n = s; continue outer }
                guard let p = n.parent else { break outer }
                n = p
            }
        }
    }

    /// Handles an element; returns whether to walk into its children.
    private mutating func visit(_ n: Node, headline: Node?) -> Bool {
        elements += 1
        if n == headline { headlineOrder = elements }
        switch n.tag {
        case .script:
            let isLD = n.attribute("type")?.lowercased().contains("ld+json") ?? false
            if !isLD, let text = n.firstChild, text.isText, let c = text.contentBytes, scriptBytes < Self.maxScriptBytes {
                let count = cStringLength(c)
                scriptBytes += count
                scanJSON(c, count: min(count, Self.maxScriptBytes))
            }
            return false
        case .style, .svg, .template, .noscript, .iframe, .math, .meta, .link, .title:
            return false
        case .html, .head, .body:
            return true
        case .h1, .h2, .h3, .h4:
            if titleHeading == nil, let key = titleKey, TitleMatch.titleStartsWithHeading.matches(TextKey.make(n.boundedText(400)), key) {
                titleHeading = n
                headlineOrder = elements
            }
        default:
            break
        }
        attributeDates(n)
        if hints.count < Self.maxHints, let role = hint(n) {
            let text = n.boundedText(Self.hintBytes).collapsedWhitespace
            if text.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) { hints.append((elements, text, role)) }
        }
        return true
    }

    /// Keeps a short text node that holds a digit and a letter.
    private mutating func text(_ n: Node) {
        guard let c = n.contentBytes else { return }
        var k = 0, digit = false, visible = 0
        while c[k] != 0, k <= Self.shortTextBytes * 2 {
            let b = c[k]
            if b > 32 { visible += 1 }
            if b >= 48 && b <= 57 { digit = true }
            k += 1
        }
        let long = c[k] != 0
        let lead = String(decoding: lastText, as: UTF8.self)
        if visible > 0 {
            // Keep the tail (at most 40 bytes, from a character boundary) as the next node's lead.
            var n = k
            while c[n] != 0 { n += 1 }
            var start = max(0, n - 40)
            while start < n, c[start] & 0xC0 == 0x80 { start += 1 }
            lastText = Array(UnsafeBufferPointer(start: c + start, count: n - start))
        }
        guard !long, shortTexts.count < Self.maxShortTexts, digit, visible >= 6, visible <= Self.shortTextBytes else { return }
        let t = String(decoding: UnsafeBufferPointer(start: c, count: k), as: UTF8.self).collapsedWhitespace
        shortTexts.append((elements, t, lead.collapsedWhitespace))
    }

    /// Whether the class, id or itemprop names a date or a byline, and what kind of date.
    private func hint(_ n: Node) -> DateRole? {
        var role: DateRole?
        for name in ["class", "id", "itemprop"] {
            guard let r = n.withAttribute(name, { $0.count <= 200 ? DateSourceTable.hintRole($0) : nil }) ?? nil else {
                continue
            }
            if r == .modified { return .modified }
            if r == .published || role == nil { role = r }
        }
        return role
    }

    /// `datetime`, `data-*date*`/`data-*time*` and `<abbr title>` values that are dates.
    private mutating func attributeDates(_ n: Node) {
        guard attributes.count < Self.maxAttributes else { return }
        var found: [(String, String)] = []
        n.forEachAttribute(startingWith: UInt8(ascii: "d"), where: { name in
            // "datetime", "data-utime", "data-publish-date", …: not "data-src".
            DateSourceTable.attributeNeedles.occur(in: name)
        }) { name, value in
            guard value.utf8.count >= 8, value.utf8.count <= 64 else { return }
            if DateSourceTable.dateAttributes.contains(name) || name.hasPrefix("data-") { found.append((name, value)) }
        }
        if n.tag == .abbr, let title = n.attribute("title"), hint(n) != nil { found.append(("title", title)) }
        for (name, value) in found {
            guard let date = Self.parseValue(value, order: order), accept(date) else { continue }
            var role = DateSourceTable.markedRole(name)
            if role == .unknown, let cls = n.attribute("class") { role = DateSourceTable.markedRole(cls) }
            attributes.append((elements, date, role))
        }
    }

    /// A date string or a Unix timestamp (seconds or milliseconds).
    static func parseValue(_ value: String, order: DateScanner.DayOrder) -> PageDate? {
        DateNormalizer.parse(value, order: order)
    }

    // MARK: - JSON in scripts

    /// Finds `"key": "value"` (also `\"key\":\"value\"` inside a JSON string) for the date keys of
    /// `DateSourceTable`; keeps the first plausible publication and update date.
    private mutating func scanJSON(_ p: UnsafePointer<UInt8>, count n: Int) {
        var i = 0
        while i < n, scriptPublished == nil || scriptModified == nil {
            guard p[i] == UInt8(ascii: "\"") else { i += 1; continue }
            var j = i + 1
            while j < n, j - i <= 32, isKeyByte(p[j]) { j += 1 }
            let keyEnd = j
            guard keyEnd - i >= 5, j < n else { i = max(j, i + 1); continue }
            if p[j] == UInt8(ascii: "\\") { j += 1 }
            guard j < n, p[j] == UInt8(ascii: "\"") else { i = keyEnd; continue }
            j += 1
            while j < n, p[j] == 32 { j += 1 }
            guard j < n, p[j] == UInt8(ascii: ":") else { i = keyEnd; continue }
            let key = DateSourceTable.key(String(decoding: UnsafeBufferPointer(start: p + i + 1, count: keyEnd - i - 1),
                                                 as: UTF8.self))
            guard let role = DateSourceTable.jsonKeyRoles[key],
                  (role == .published ? scriptPublished : scriptModified) == nil else { i = j; continue }
            j += 1
            while j < n, p[j] == 32 { j += 1 }
            if j < n, p[j] == UInt8(ascii: "\\") { j += 1 }
            var value = ""
            if j < n, p[j] == UInt8(ascii: "\"") {
                let start = j + 1
                var k = start
                while k < n, k - start < 64, p[k] != UInt8(ascii: "\""), p[k] != UInt8(ascii: "\\") { k += 1 }
                value = String(decoding: UnsafeBufferPointer(start: p + start, count: k - start), as: UTF8.self)
                j = k
            } else {
                let start = j
                var k = start
                while k < n, k - start < 14, p[k] >= 48 && p[k] <= 57 { k += 1 }
                value = String(decoding: UnsafeBufferPointer(start: p + start, count: k - start), as: UTF8.self)
                j = k
            }
            if let date = Self.parseValue(value, order: order), accept(date) {
                if role == .published { scriptPublished = date } else { scriptModified = date }
            }
            i = max(j, i + 1)
        }
    }

    @inline(__always) private func isKeyByte(_ c: UInt8) -> Bool {
        DateNormalizer.isLetter(c) || DateNormalizer.isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
            || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
    }
}
