import Foundation
import DecantCore
import DecantHTML

/// Reads `PageMetadata` from a parsed page in one walk over its elements, then merges the
/// sources in order of trust: JSON-LD, Dublin Core, OpenGraph/article, Twitter, citation_*,
/// plain meta tags, microdata and `<time>`, bylines, and last `<title>` / `<h1>`. Dates come
/// from `DateFinder`, which may look further (the URL, scripts, the text near the headline).
enum MetadataReader {
    /// The largest ld+json script read (bigger ones are skipped).
    static let maxScriptBytes = 2_000_000

    /// The page's metadata; `now` is the fetch time, after which no date is plausible.
    static func read(_ doc: HTMLDocument, pageURL: String?, now: Date = Date()) -> PageMetadata {
        var scan = MetadataScan()
        if let root = doc.root { scan.walk(root) }
        return merge(scan, pageURL: pageURL, root: doc.root, now: now)
    }

    /// Chooses each field from the collected candidates.
    static func merge(_ s: MetadataScan, pageURL: String?, root: Node? = nil, now: Date = Date()) -> PageMetadata {
        let ld = JSONLDReader.read(s.ldScripts)
        let tags = s.metaTags
        var meta = PageMetadata()

        let pageResolver = URLResolver(base: pageURL)
        if let href = s.baseHref, let base = pageResolver.resolve(href) { meta.baseURL = base }
        let resolver = URLResolver(base: meta.baseURL ?? pageURL)
        func absolute(_ v: String?) -> String? { v.flatMap { resolver.resolve($0) } }

        // Title: the page's declared title as written (most trusted source first); the <title>
        // element and the <h1> are fallbacks that the assembler cleans of site names.
        let declared: [String?] = [
            jsonLDTitle(ld, documentTitle: s.title), tags.first("dc.title", "dc:title", "dcterms.title"),
            tags.first("og:title"), tags.first("twitter:title"), tags.first("citation_title"),
        ]
        let titles = declared + [s.title, s.mainH1]
        meta.title = titles.lazy.compactMap { $0 }.first
        meta.titleIsDeclared = declared.contains { $0 != nil }
        if let t = meta.title, t.hasSuffix("…") || t.hasSuffix("...") {
            let stem = String(t.dropLast(t.hasSuffix("…") ? 1 : 3)).trimmed
            if let longer = titles.compactMap({ $0 }).first(where: { $0.count > t.count && $0.hasPrefix(stem) }) {
                meta.title = longer
            }
        }
        meta.h1 = s.mainH1
        meta.documentTitle = s.headTitle

        let structured: [[String]] = [
            ld.authors, tags.all("article:author"), tags.all("og:article:author"),
            tags.all("dc.creator") + tags.all("dc:creator") + tags.all("dcterms.creator"),
        ]
        let plain: [[String]] = [
            tags.all("author"), tags.all("parsely-author"), tags.all("sailthru.author"), tags.all("byl"),
            tags.all("itemprop:author"),
        ]
        meta.authors = structured.lazy.map { names($0, structured: true) }.first { !$0.isEmpty }
            ?? names(tags.all("citation_author"), splitCommas: false, structured: true).nonEmpty
            ?? plain.lazy.map { names($0, structured: true) }.first { !$0.isEmpty }
            ?? s.byline ?? []

        let languages: [String?] = [
            ld.language, tags.first("og:locale"), tags.first("dc.language", "dcterms.language"),
            s.htmlLang, tags.first("http-equiv:content-language"), tags.first("language", "content-language"),
        ]
        meta.language = languages.lazy.compactMap { $0.flatMap(languageTag) }.first

        let canonical = absolute(s.canonical ?? tags.first("og:url") ?? ld.url)
        let finder = DateFinder(scan: s, ld: ld, tags: tags, root: root, pageURL: pageURL, canonicalURL: canonical,
                                reference: now, order: DateScanner.order(language: meta.language))
        let dates = finder.find()
        meta.published = dates.published?.iso
        meta.modified = dates.modified?.iso

        meta.siteName = ld.siteName ?? tags.first("og:site_name") ?? tags.first("application-name")
        meta.description = ld.description ?? tags.first("og:description") ?? tags.first("twitter:description")
            ?? tags.first("dc.description", "dcterms.description", "dcterms.abstract")
            ?? tags.first("description") ?? tags.first("itemprop:description")

        meta.image = absolute(ld.image ?? tags.first("og:image", "og:image:url", "og:image:secure_url")
            ?? tags.first("twitter:image", "twitter:image:src") ?? tags.first("itemprop:image"))

        if !ld.tags.isEmpty {
            meta.tags = ld.tags
        } else if !tags.all("article:tag").isEmpty {
            meta.tags = tags.all("article:tag")
        } else if !(tags.all("dc.subject") + tags.all("dcterms.subject")).isEmpty {
            meta.tags = (tags.all("dc.subject") + tags.all("dcterms.subject")).flatMap(splitList)
        } else {
            meta.tags = (tags.first("news_keywords") ?? tags.first("keywords")).map(splitList) ?? []
        }

        meta.canonicalURL = canonical
        meta.articleBody = ld.articleBody
        return meta
    }

    /// The author names in `values` (each cleaned by `BylineCleaner`), without URLs, handles and duplicates.
    static func names(_ values: [String], splitCommas: Bool = true, structured: Bool = false) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for v in values {
            let t = v.collapsedWhitespace
            if t.isEmpty || looksLikeURL(t) || t.hasPrefix("@") { continue }
            for name in BylineCleaner.names(t, splitCommas: splitCommas, structured: structured)
            where seen.insert(name.lowercased()).inserted {
                out.append(name)
            }
        }
        return out
    }

    /// JSON-LD's `headline`, or its `name` when that matches the document title better
    /// (Wikipedia's headline is a description; the name is the title).
    static func jsonLDTitle(_ ld: JSONLDReader.Fields, documentTitle: String?) -> String? {
        guard let headline = ld.headline, let name = ld.name, headline != name, let doc = documentTitle else {
            return ld.title
        }
        return similarity(name, doc) > similarity(headline, doc) ? name : headline
    }

    /// The share of `a`'s words that occur in `b` (0...1), on `TextKey` words.
    static func similarity(_ a: String, _ b: String) -> Double {
        let wa = TextKey.make(a).split(separator: " ")
        let wb = Set(TextKey.make(b).split(separator: " "))
        guard !wa.isEmpty else { return 0 }
        return Double(wa.filter { wb.contains($0) }.count) / Double(wa.count)
    }

    static func splitList(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).collapsedWhitespace }.filter { !$0.isEmpty }
    }

    static func looksLikeURL(_ s: String) -> Bool {
        let l = s.prefix(8).lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://") || l.hasPrefix("//") || l.hasPrefix("www.")
    }

    /// A BCP 47 tag in its usual case (`en`, `en-US`, `zh-Hant-TW`), from `en_us`, `EN-us`, `de, en`.
    static func languageTag(_ raw: String) -> String? {
        guard let first = raw.split(separator: ",").first else { return nil }
        let parts = first.trimmed.replacingOccurrences(of: "_", with: "-").split(separator: "-")
        guard let lang = parts.first, (2...3).contains(lang.count), lang.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        var out = [lang.lowercased()]
        for p in parts.dropFirst() {
            guard (1...8).contains(p.count), p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { break }
            switch p.count {
            case 2: out.append(p.uppercased())
            case 4: out.append(p.prefix(1).uppercased() + p.dropFirst().lowercased())
            default: out.append(p.lowercased())
            }
        }
        return out.joined(separator: "-")
    }
}

extension Array {
    /// The array, or nil when it is empty.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
