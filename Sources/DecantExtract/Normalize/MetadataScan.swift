import DecantHTML
/// One walk over a page's elements collecting metadata candidates: meta tags, ld+json scripts,
/// `<title>`, `<h1>`, `<time>`, canonical and base links, `<html lang>` and bylines.
///
/// Scripts other than ld+json, styles and SVG are skipped without being read.
struct MetadataScan {
    var metaTags = MetaTags()
    var ldScripts: [String] = []
    var title: String?
    /// The last `<title>` that is a child of `<head>`, uncollapsed.
    var headTitle: String?
    var htmlLang: String?
    var baseHref: String?
    var canonical: String?
    /// The first `<h1>` inside `<article>`/`<main>`, else the first `<h1>`.
    var mainH1: String? { h1InArticle ?? firstH1 }
    var firstH1: String?
    var h1InArticle: String?
    /// The `<h1>` elements behind `firstH1` and `h1InArticle`, and their places in document order.
    var firstH1Node: (node: Node, order: Int)?
    var h1InArticleNode: (node: Node, order: Int)?
    var mainH1Node: (node: Node, order: Int)? { h1InArticleNode ?? firstH1Node }
    /// `<time>` elements, in document order (at most `maxDates`).
    var times: [TimeElement] = []
    /// Dates of microdata properties (`itemprop=datePublished` on ordinary elements).
    var itemDates: [ItemDate] = []
    /// The best byline found: rel=author, then itemprop=author, then author/byline classes.
    var byline: [String]? { bestByline?.names }
    /// The first byline of the best rank seen so far; later ones of no better rank are not read.
    private var bestByline: (rank: Int, names: [String])?
    private var articleDepth = 0
    /// Elements visited so far: an element's place in document order.
    private(set) var order = 0

    static let maxDates = 40

    /// A `<time>` element: its `datetime`, its visible text, and what its markup says it dates.
    struct TimeElement {
        var order: Int
        var datetime: String?
        var text: String
        var role: DateRole
        var inArticle: Bool
    }

    /// A microdata date property on an element other than `<meta>` or `<time>`.
    struct ItemDate {
        var order: Int
        var value: String
        var role: DateRole
    }

    mutating func walk(_ root: Node) {
        var n = root
        outer: while true {
            if n.isElement, visit(n), let child = n.firstChild {
                n = child
                continue
            }
            while true {
                if n.isElement { leave(n) }
                if n == root { break outer }
                if let s = n.next { n = s; continue outer }
                guard let p = n.parent else { break outer }
                n = p
            }
        }
    }

    /// Handles an element; returns whether to walk into its children.
    private mutating func visit(_ n: Node) -> Bool {
        let tag = n.tag
        order += 1
        switch tag {
        case .article, .main:
            articleDepth += 1
        case .html:
            if htmlLang == nil { htmlLang = n.attribute("lang") ?? n.attribute("xml:lang") }
        case .meta:
            metaTags.add(n)
            return false
        case .link:
            if canonical == nil, let rel = n.attribute("rel"), hasToken(rel, "canonical"),
               let href = n.attribute("href")?.trimmed, !href.isEmpty {
                canonical = href
            }
            return false
        case .base:
            if baseHref == nil, let href = n.attribute("href")?.trimmed, !href.isEmpty { baseHref = href }
            return false
        case .script:
            if let type = n.attribute("type"), type.lowercased().contains("ld+json") {
                var bytes: [UInt8] = []
                n.appendText(to: &bytes)
                if bytes.count <= MetadataReader.maxScriptBytes { ldScripts.append(String(decoding: bytes, as: UTF8.self)) }
            }
            return false
        case .style, .svg, .template, .noscript, .iframe, .math:
            return false
        case .title:
            if n.parent?.tag == .head { headTitle = n.textContent }
            if title == nil {
                let t = n.textContent.collapsedWhitespace
                if !t.isEmpty { title = t }
            }
            return false
        case .h1:
            let needFirst = firstH1 == nil, needArticle = h1InArticle == nil && articleDepth > 0
            if needFirst || needArticle {
                let t = n.textContent.collapsedWhitespace
                if !t.isEmpty && t.utf8.count <= 400 {
                    if needFirst { firstH1 = t; firstH1Node = (n, order) }
                    if needArticle { h1InArticle = t; h1InArticleNode = (n, order) }
                }
            }
            return false
        case .time:
            time(n)
            return false
        default:
            break
        }
        if tag != .html && tag != .head && tag != .body { microdata(n) }
        return true
    }

    private mutating func leave(_ n: Node) {
        let tag = n.tag
        if tag == .article || tag == .main { articleDepth -= 1 }
    }

    private mutating func time(_ n: Node) {
        guard times.count < Self.maxDates else { return }
        let datetime = n.attribute("datetime")?.trimmed
        let text = n.boundedText(200).collapsedWhitespace
        guard !(datetime ?? "").isEmpty || !text.isEmpty else { return }
        var role = DateRole.unknown
        if let props = n.attribute("itemprop")?.lowercased() {
            if ByteMatch.has(props, "datemodified") || ByteMatch.has(props, "dateupdate") {
                role = .modified
            } else if ByteMatch.has(props, "datepublished") || ByteMatch.has(props, "datecreated")
                        || ByteMatch.has(props, "uploaddate") {
                role = .published
            }
        }
        if role == .unknown, n.hasAttribute("pubdate") { role = .published }
        // The class of the element or its parent ("dateline__published"), else the text's cue ("Updated …").
        for cls in [n.attribute("class"), n.parent?.attribute("class")] where role == .unknown {
            if let cls { role = DateSourceTable.markedRole(cls) }
        }
        if role == .unknown, !text.isEmpty {
            let lower = text.lowercased()
            if DateWords.updatedCues.contains(where: lower.hasPrefix) {
                role = .modified
            } else if DateWords.publishedCues.contains(where: lower.hasPrefix) {
                role = .published
            }
        }
        times.append(TimeElement(order: order, datetime: datetime.flatMap { $0.isEmpty ? nil : $0 }, text: text,
                                 role: role, inArticle: articleDepth > 0))
    }

    /// itemprop dates and authors on ordinary elements, rel=author links, author/byline classes.
    private mutating func microdata(_ n: Node) {
        // One pass over the attributes (this runs for every element of the page): byte views of
        // itemprop, rel, class and id, valid while `n` lives.
        var itemprop: UnsafeBufferPointer<UInt8>?, rel: UnsafeBufferPointer<UInt8>?
        var cls: UnsafeBufferPointer<UInt8>?, id: UnsafeBufferPointer<UInt8>?
        n.forEachAttribute { name, value in
            switch name[0] {
            case UInt8(ascii: "i") where strcmpBytes(name, "itemprop"): itemprop = value
            case UInt8(ascii: "i") where strcmpBytes(name, "id"): id = value
            case UInt8(ascii: "c") where strcmpBytes(name, "class"): cls = value
            case UInt8(ascii: "r") where strcmpBytes(name, "rel"): rel = value
            default: break
            }
        }
        // itemprop holds a space-separated list ("datePublished dateCreated").
        if let itemprop {
            for prop in String(decoding: itemprop, as: UTF8.self).lowercased().split(separator: " ") {
                switch prop {
                case "datepublished", "datecreated", "uploaddate", "datemodified", "dateupdate":
                    guard itemDates.count < Self.maxDates else { break }
                    let value = n.attribute("content") ?? n.attribute("datetime") ?? n.boundedText(200).collapsedWhitespace
                    let role: DateRole = prop == "datemodified" || prop == "dateupdate" ? .modified : .published
                    if !value.isEmpty { itemDates.append(ItemDate(order: order, value: value, role: role)) }
                case "author", "creator":
                    addByline(rank: 1, Self.itempropName(n) ?? n.textContent)
                default: continue
                }
                break
            }
        }
        if n.tag == .a, let rel, hasToken(String(decoding: rel, as: UTF8.self), "author") {
            addByline(rank: 0, n.textContent)
            return
        }
        let byClass = cls.map(BylineHint.rank) ?? 0
        let byID = byClass == 0 ? (id.map(BylineHint.rank) ?? 0) : 0
        let rank = max(byClass, byID)
        if rank > 0 { addByline(rank: rank, n.textContent) }
    }

    /// The text of the first descendant with itemprop=name.
    private static func itempropName(_ n: Node) -> String? {
        var c = n.firstChild
        while let d = c {
            if d.isElement, d.attribute("itemprop")?.lowercased() == "name" {
                return d.attribute("content") ?? d.textContent
            }
            c = d.isElement && d.firstChild != nil ? d.firstChild : d.nextInPreorder(within: n)
        }
        return nil
    }

    private mutating func addByline(rank: Int, _ raw: @autoclosure () -> String) {
        if let best = bestByline, best.rank <= rank { return }
        let text = raw()
        guard text.utf8.count <= 600 else { return }
        let names = BylineCleaner.names(text)
        if !names.isEmpty { bestByline = (rank, names) }
    }

    /// True when the space-separated `list` holds `token` (ASCII, lower-case), ignoring case.
    private func hasToken(_ list: String, _ token: String) -> Bool {
        let t = Array(token.utf8)
        var i = list.utf8.startIndex
        let u = list.utf8
        while i != u.endIndex {
            while i != u.endIndex && (u[i] == 32 || u[i] == 9 || u[i] == 10 || u[i] == 13 || u[i] == 12) { i = u.index(after: i) }
            var k = 0
            var match = true
            while i != u.endIndex && !(u[i] == 32 || u[i] == 9 || u[i] == 10 || u[i] == 13 || u[i] == 12) {
                let b = u[i] >= 65 && u[i] <= 90 ? u[i] | 0x20 : u[i]
                if k >= t.count || b != t[k] { match = false }
                k += 1
                i = u.index(after: i)
            }
            if match && k == t.count { return true }
        }
        return false
    }
}
