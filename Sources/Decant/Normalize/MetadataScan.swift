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
    /// `<time itemprop=datePublished>` or `<time pubdate>` (or an itemprop element's content).
    var timePublished: String?
    var timeModified: String?
    var timeInArticle: String?
    var firstTime: String?
    /// The best byline found: rel=author, then itemprop=author, then author/byline classes.
    var byline: String? { bylines.min(by: { $0.rank < $1.rank })?.name }
    private var bylines: [(rank: Int, name: String)] = []
    private var articleDepth = 0

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
                    if needFirst { firstH1 = t }
                    if needArticle { h1InArticle = t }
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
        let value = n.attribute("datetime")?.trimmed ?? n.textContent.collapsedWhitespace
        guard !value.isEmpty else { return }
        let prop = n.attribute("itemprop")?.lowercased()
        if prop == "datemodified" {
            if timeModified == nil { timeModified = value }
            return
        }
        if prop == "datepublished" || prop == "datecreated" || n.hasAttribute("pubdate") {
            if timePublished == nil { timePublished = value }
        }
        if articleDepth > 0 && timeInArticle == nil { timeInArticle = value }
        if firstTime == nil { firstTime = value }
    }

    /// itemprop dates and authors on ordinary elements, rel=author links, author/byline classes.
    private mutating func microdata(_ n: Node) {
        // itemprop holds a space-separated list ("datePublished dateCreated").
        if let props = n.attribute("itemprop") {
            for prop in props.lowercased().split(separator: " ") {
                switch prop {
                case "datepublished":
                    if timePublished == nil { timePublished = n.attribute("content") ?? n.textContent.collapsedWhitespace }
                case "datemodified":
                    if timeModified == nil { timeModified = n.attribute("content") ?? n.textContent.collapsedWhitespace }
                case "author", "creator":
                    addByline(rank: 1, itempropName(n) ?? n.textContent)
                default: continue
                }
                break
            }
        }
        if n.tag == .a, let rel = n.attribute("rel"), hasToken(rel, "author") {
            addByline(rank: 0, n.textContent)
            return
        }
        guard bylines.count < 8 else { return }
        // Byte search, no Strings: this runs for every element of the page.
        let byClass = n.withAttribute("class", BylineHint.rank) ?? 0
        let byID = byClass == 0 ? (n.withAttribute("id", BylineHint.rank) ?? 0) : 0
        let rank = max(byClass, byID)
        if rank > 0 { addByline(rank: rank, n.textContent) }
    }

    /// The text of the first descendant with itemprop=name.
    private func itempropName(_ n: Node) -> String? {
        var c = n.firstChild
        while let d = c {
            if d.isElement, d.attribute("itemprop")?.lowercased() == "name" {
                return d.attribute("content") ?? d.textContent
            }
            c = d.isElement && d.firstChild != nil ? d.firstChild : d.nextInPreorder(within: n)
        }
        return nil
    }

    private mutating func addByline(rank: Int, _ raw: String) {
        guard raw.utf8.count <= 600, let name = BylineCleaner.clean(raw) else { return }
        bylines.append((rank, name))
    }

    private func hasToken(_ list: String, _ token: String) -> Bool {
        list.lowercased().split(whereSeparator: \.isWhitespace).contains { $0 == token }
    }
}
