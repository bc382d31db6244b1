import Foundation
import DecantHTML

/// Chooses a page's publication and update dates from every place it may state them, in order of
/// trust (JSON-LD, meta tags, microdata, `<time>`, the URL, script JSON, text near the headline
/// and byline, date attributes), skipping implausible dates and keeping the page's own local day.
///
/// An update date is never taken for the publication date.
struct DateFinder {
    var scan: MetadataScan
    var ld: JSONLDReader.Fields
    var tags: MetaTags
    var root: Node?
    var pageURL: String?
    var canonicalURL: String?
    /// The fetch time (or now): later dates are not plausible.
    var reference: Date
    var order: DateScanner.DayOrder

    /// The publication and update dates, either possibly nil.
    func find() -> (published: PageDate?, modified: PageDate?) {
        let markup = markupDates()
        var published = markupPublished(markup)
        var modified = markup.first { $0.role == .modified }?.date
        var search: DateSearch?
        var headline = HeadlineDates(scan.mainH1Node?.node, order: order)
        if published == nil {
            published = firstTime(of: .unknown) ?? urlDate()
        }
        if published == nil, let root {
            let s = DateSearch(root: root, headline: scan.mainH1Node?.node,
                               title: ld.title ?? tags.first("og:title") ?? scan.title,
                               ldScripts: ld.published == nil ? scan.ldScripts : [], order: order, accept: plausible)
            search = s
            headline = HeadlineDates(scan.mainH1Node?.node ?? s.titleHeading, order: order)
            published = s.scriptPublished ?? headlineDate(headline, role: .published, strong: true)
                ?? hintDate(s, modified: false) ?? titleDate() ?? shortTextDate(s, cued: true)
                ?? attributeDate(s, modified: false)
                ?? tags.first("og:image").flatMap(URLDate.find).flatMap(accepted)
                ?? headlineDate(headline, role: .published, strong: false) ?? shortTextDate(s, cued: false)
        }
        if modified == nil, let s = search {
            modified = s.scriptModified ?? headlineDate(headline, role: .modified, strong: false)
                ?? hintDate(s, modified: true) ?? attributeDate(s, modified: true)
        }
        if let p = published, p.isUTCTime { published = localDay(of: p, markup: markup, headline: headline) }
        if let m = modified, m.isUTCTime {
            modified = localDay(of: m, markup: markup, headline: headline, publication: false)
        }
        if let p = published, let m = modified, m.isBefore(p) { modified = nil }
        return (published, modified)
    }

    // MARK: - Sources

    /// Dates the markup states with their role: JSON-LD, meta tags by rank, microdata, marked `<time>`.
    func markupDates() -> [DateCandidate] {
        var out: [DateCandidate] = []
        func add(_ value: String?, _ role: DateRole, _ source: DateSource, rank: Int = 0) {
            guard let d = value.flatMap(parse) else { return }
            out.append(DateCandidate(date: d, role: role, source: source, rank: rank))
        }
        add(ld.published, .published, .jsonLD)
        add(ld.modified, .modified, .jsonLD)
        var metas: [(rank: Int, key: String, role: DateRole, value: String)] = []
        for (key, values) in tags.values {
            guard let value = values.first, let (rank, role) = DateSourceTable.metaRanks[DateSourceTable.key(key)]
            else { continue }
            metas.append((rank, key, role, value))
        }
        metas.sort { ($0.rank, $0.key) < ($1.rank, $1.key) }
        for m in metas { add(m.value, m.role, .meta, rank: m.rank) }
        for item in scan.itemDates { add(item.value, item.role, .microdata) }
        for role in [DateRole.published, .modified] {
            for t in rankedTimes(role) {
                if let d = (t.datetime.flatMap(parse) ?? parse(t.text)) {
                    out.append(DateCandidate(date: d, role: role, source: .timeElement))
                }
            }
        }
        return out
    }

    /// The most trusted publication date of the markup, unless an earlier day (two or more days
    /// before) has the support of two sources, or the URL shows one: a page made then and
    /// republished later keeps the new day in some fields only, while its URL keeps the day it was made.
    func markupPublished(_ markup: [DateCandidate]) -> PageDate? {
        guard let first = markup.first(where: { $0.role == .published }) else { return nil }
        let url = urlDate()
        if let u = url, u.dayNumber <= first.date.dayNumber - 2 {
            return markup.first { $0.role == .published && $0.date.dayNumber == u.dayNumber }?.date ?? u
        }
        var votes: [DateSource: PageDate] = [:]
        for c in markup where c.role == .published && c.isSpecific && votes[c.source] == nil { votes[c.source] = c.date }
        if let u = url { votes[.url] = u }
        let support = Dictionary(grouping: votes.values, by: \.dayNumber)
        let earlier = support.filter { $0.key <= first.date.dayNumber - 2 && $0.value.count >= 2 }.keys.min()
        if let day = earlier {
            return markup.first { $0.role == .published && $0.date.dayNumber == day }?.date ?? url
        }
        return first.date
    }

    /// `<time>` elements of `role`, nearest to the headline first (after it before before it).
    private func rankedTimes(_ role: DateRole) -> [MetadataScan.TimeElement] {
        let times = scan.times.filter { $0.role == role }
        guard let h1 = scan.mainH1Node?.order else {
            return times.filter(\.inArticle) + times.filter { !$0.inArticle }
        }
        return times.sorted { Self.distance($0.order, from: h1) < Self.distance($1.order, from: h1) }
    }

    /// How far an element is from the headline: elements before it count three times.
    static func distance(_ order: Int, from headline: Int) -> Int {
        order >= headline ? order - headline : (headline - order) * 3
    }

    private func firstTime(of role: DateRole) -> PageDate? {
        for t in rankedTimes(role) {
            if let d = t.datetime.flatMap(parse) ?? parse(t.text) { return d }
        }
        return nil
    }

    private func urlDate() -> PageDate? {
        (pageURL.flatMap(URLDate.find) ?? canonicalURL.flatMap(URLDate.find)).flatMap(accepted)
    }

    /// The dates of the text just after and just before a headline, read once per page.
    final class HeadlineDates {
        let node: Node?
        let order: DateScanner.DayOrder
        init(_ node: Node?, order: DateScanner.DayOrder) { self.node = node; self.order = order }

        lazy var after: (window: HeadlineWindow, dates: [DateScanner.Found])? = node.map {
            let w = HeadlineWindow.after($0)
            return (w, DateScanner.scan(w.text, order: order, shortYears: true))
        }
        lazy var before: (window: HeadlineWindow, dates: [DateScanner.Found])? = node.map {
            let w = HeadlineWindow.before($0)
            return (w, DateScanner.scan(w.text, order: order, shortYears: true))
        }
    }

    /// The first date after the headline (else the last before it) with a cue fitting `role`;
    /// `strong` asks for a date on a line of its own or after a cue, not one inside a sentence.
    private func headlineDate(_ h: HeadlineDates, role: DateRole, strong: Bool) -> PageDate? {
        func fits(_ d: DateScanner.Found, _ w: HeadlineWindow) -> Bool {
            guard plausible(d.date), role == .modified ? d.cue == .modified : d.cue != .modified else { return false }
            return !strong || d.cue != nil || w.standsAlone(d.range)
        }
        if let (w, dates) = h.after, let d = dates.first(where: { fits($0, w) }) { return d.date }
        if let (w, dates) = h.before, let d = dates.last(where: { fits($0, w) }) { return d.date }
        return nil
    }

    /// A date in the nearest date or byline element (by class or id) whose kind fits.
    private func hintDate(_ s: DateSearch, modified: Bool) -> PageDate? {
        let hints = s.headlineOrder.map { h in s.hints.sorted { Self.distance($0.order, from: h) < Self.distance($1.order, from: h) } }
            ?? s.hints
        for hint in hints where (hint.role == .modified) == modified || hint.role == .unknown {
            // A long element (cut at `hintBytes`) may be prose: only a date at its start or after a cue counts.
            let long = hint.text.utf8.count >= DateSearch.hintBytes - 8
            let found = DateScanner.scan(hint.text, order: order, shortYears: true, limit: 4)
            let fits = found.first { d in
                plausible(d.date) && (modified ? d.cue == .modified || hint.role == .modified : d.cue != .modified)
                    && (!long || d.cue != nil || d.range.lowerBound <= 24)
            }
            if let fits { return fits.date }
        }
        return nil
    }

    /// A date in the `<title>` or the `<h1>` ("… - 07.12.2017 - LA NACION").
    private func titleDate() -> PageDate? {
        for t in [scan.title, scan.mainH1].compactMap({ $0 }) {
            if let d = DateScanner.scan(t, order: order, limit: 2).first(where: { plausible($0.date) }) { return d.date }
        }
        return nil
    }

    /// A short line nearest to the headline holding a date after a publication cue ("Erschienen am
    /// 01.11.2023"), or (`cued` false) a line that is little more than a date.
    private func shortTextDate(_ s: DateSearch, cued: Bool) -> PageDate? {
        let texts = s.headlineOrder.map { h in s.shortTexts.sorted { Self.distance($0.order, from: h) < Self.distance($1.order, from: h) } }
            ?? s.shortTexts
        for t in texts {
            // The lead (the end of the text before) holds the cue of a date standing alone.
            let offset = t.lead.utf8.count + 1
            for d in DateScanner.scan(t.lead + " " + t.text, order: order, shortYears: true, limit: 4)
            where d.range.lowerBound >= offset && plausible(d.date) {
                if cued ? d.cue == .published : d.cue != .modified && t.text.utf8.count - d.range.count <= 24 {
                    return d.date
                }
            }
        }
        return nil
    }

    private func attributeDate(_ s: DateSearch, modified: Bool) -> PageDate? {
        let list = s.headlineOrder.map { h in s.attributes.sorted { Self.distance($0.order, from: h) < Self.distance($1.order, from: h) } }
            ?? s.attributes
        return list.first { modified ? $0.role == .modified : $0.role != .modified }?.date
    }

    // MARK: - Time zones

    /// A UTC date-time as the page's own local day: the same instant written with the page's
    /// offset, else the day a `<time>` of that instant shows (or, for the publication, the URL, a
    /// `<time>` text or the text after the headline), when it is one day off and a real offset explains it.
    func localDay(of p: PageDate, markup: [DateCandidate], headline: HeadlineDates, publication: Bool = true) -> PageDate {
        guard let instant = p.instant, let seconds = p.seconds else { return p }
        if let same = markup.first(where: { $0.date.instant == instant && $0.date.offsetMinutes != 0 }) {
            return same.date
        }
        var local: PageDate?
        // A <time> whose datetime is this instant shows the page's local rendering of it.
        let rendering = scan.times.lazy.filter { $0.datetime.flatMap(self.parse)?.instant == instant }
            .compactMap { self.yearless($0.text, near: p) }.first
        if let r = rendering {
            local = r
        } else if !publication {
            return p
        } else if let u = urlDate() {
            local = u
        } else if let t = scan.times.lazy.compactMap({ self.parse($0.text) }).first {
            local = t
        } else if let (w, dates) = headline.after {
            local = dates.first { w.standsAlone($0.range) }?.date
        }
        guard let l = local else { return p }
        if let li = l.instant { return li == instant ? l : p }
        let shift = l.dayNumber - p.dayNumber
        // Zones run from UTC-12 to UTC+14: the next day needs 10:00 UTC or later, the previous one before 12:00.
        guard (shift == 1 && seconds >= 10 * 3600) || (shift == -1 && seconds < 12 * 3600) else { return p }
        if let ls = l.seconds {
            let minutes = (shift * 86_400 + ls - seconds) / 60
            if minutes % 15 == 0, (-720...840).contains(minutes) { return PageDate.at(instant: instant, offsetMinutes: minutes) }
        }
        return l.dayOnly
    }

    /// The date of `text`, whose year may be left out ("Nov 18, 8:19 PM"): then the year that puts
    /// it nearest to `p`.
    private func yearless(_ text: String, near p: PageDate) -> PageDate? {
        guard var d = DateScanner.scan(text, order: order, defaultYear: p.year, limit: 1).first?.date else { return nil }
        for y in [p.year - 1, p.year + 1] {
            var other = d
            other.year = y
            if PageDate.isValid(y, d.month, d.day), abs(other.dayNumber - p.dayNumber) < abs(d.dayNumber - p.dayNumber) {
                d = other
            }
        }
        return d
    }

    // MARK: - Helpers

    private func parse(_ s: String) -> PageDate? {
        DateNormalizer.parse(s, order: order).flatMap(accepted)
    }

    private func accepted(_ d: PageDate) -> PageDate? { plausible(d) ? d : nil }

    private func plausible(_ d: PageDate) -> Bool { d.isPlausible(reference: reference) }
}

extension PageDate {
    /// Earlier than `other`: by instant when both have one, else by day.
    func isBefore(_ other: PageDate) -> Bool {
        if let a = instant, let b = other.instant { return a < b }
        return dayNumber < other.dayNumber
    }
}
