/// Reads `PageMetadata` from a parsed page in one walk over its elements, then merges the
/// sources in order of trust: JSON-LD, OpenGraph/article, Twitter, Dublin Core, citation_*,
/// plain meta tags, microdata and `<time>`, bylines, and last `<title>` / `<h1>`.
enum MetadataReader {
    /// The largest ld+json script read (bigger ones are skipped).
    static let maxScriptBytes = 2_000_000

    static func read(_ doc: HTMLDocument, pageURL: String?) -> PageMetadata {
        var scan = MetadataScan()
        if let root = doc.root { scan.walk(root) }
        return merge(scan, pageURL: pageURL)
    }

    /// Chooses each field from the collected candidates.
    static func merge(_ s: MetadataScan, pageURL: String?) -> PageMetadata {
        let ld = JSONLDReader.read(s.ldScripts)
        let tags = s.metaTags
        var meta = PageMetadata()

        let pageResolver = URLResolver(base: pageURL)
        if let href = s.baseHref, let base = pageResolver.resolve(href) { meta.baseURL = base }
        let resolver = URLResolver(base: meta.baseURL ?? pageURL)
        func absolute(_ v: String?) -> String? { v.flatMap { resolver.resolve($0) } }

        // Title: the most trusted source; a truncated JSON-LD headline yields to a longer one.
        let titles: [String?] = [
            ld.title, tags.first("og:title"), tags.first("twitter:title"),
            tags.first("dc.title", "dcterms.title"), tags.first("citation_title"), s.title, s.mainH1,
        ]
        meta.title = titles.lazy.compactMap { $0 }.first
        if let t = meta.title, t.hasSuffix("…") || t.hasSuffix("...") {
            let stem = String(t.dropLast(t.hasSuffix("…") ? 1 : 3)).trimmed
            if let longer = titles.compactMap({ $0 }).first(where: { $0.count > t.count && $0.hasPrefix(stem) }) {
                meta.title = longer
            }
        }
        meta.h1 = s.mainH1
        meta.documentTitle = s.headTitle

        meta.author = (ld.author.flatMap { names([$0]) }
            ?? names(tags.all("article:author"))
            ?? names(tags.all("dc.creator") + tags.all("dcterms.creator"))
            ?? names(tags.all("citation_author"))
            ?? names(tags.all("author"))
            ?? names(tags.all("itemprop:author"))
            ?? s.byline).map(BylineCleaner.stripPrefix)

        let publishedCandidates: [String?] = [
            ld.published, tags.first("article:published_time"), tags.first("og:published_time"),
            tags.first("og:article:published_time"), tags.first("dc.date.issued", "dcterms.issued"),
            tags.first("dc.date", "dcterms.date", "dcterms.created"),
            tags.first("citation_publication_date"), tags.first("citation_date", "citation_online_date"),
            tags.first("date", "pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date",
                       "parsely-pub-date", "article.published", "publish_date"),
            tags.first("itemprop:datepublished"), s.timePublished, s.timeInArticle, s.firstTime,
        ]
        meta.published = publishedCandidates.lazy.compactMap { $0.flatMap(DateNormalizer.normalize) }.first
        let modifiedCandidates: [String?] = [
            ld.modified, tags.first("article:modified_time"), tags.first("og:updated_time"),
            tags.first("dcterms.modified"), tags.first("itemprop:datemodified"), s.timeModified,
        ]
        meta.modified = modifiedCandidates.lazy.compactMap { $0.flatMap(DateNormalizer.normalize) }.first

        meta.siteName = ld.siteName ?? tags.first("og:site_name") ?? tags.first("application-name")
        meta.description = ld.description ?? tags.first("og:description") ?? tags.first("twitter:description")
            ?? tags.first("dc.description", "dcterms.description", "dcterms.abstract")
            ?? tags.first("description") ?? tags.first("itemprop:description")

        let languages: [String?] = [
            ld.language, tags.first("og:locale"), tags.first("dc.language", "dcterms.language"),
            s.htmlLang, tags.first("http-equiv:content-language"), tags.first("language", "content-language"),
        ]
        meta.language = languages.lazy.compactMap { $0.flatMap(languageTag) }.first

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

        meta.canonicalURL = absolute(s.canonical ?? tags.first("og:url") ?? ld.url)
        meta.articleBody = ld.articleBody
        return meta
    }

    /// Names joined by ", ", without URLs, handles and duplicates; nil when none is left.
    static func names(_ values: [String]) -> String? {
        var seen = Set<String>()
        var out: [String] = []
        for v in values {
            let t = v.collapsedWhitespace
            if t.isEmpty || looksLikeURL(t) || t.hasPrefix("@") { continue }
            if seen.insert(t.lowercased()).inserted { out.append(t) }
        }
        return out.isEmpty ? nil : out.joined(separator: ", ")
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
