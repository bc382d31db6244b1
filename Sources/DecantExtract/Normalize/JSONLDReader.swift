import Foundation

/// Reads schema.org metadata from `<script type="application/ld+json">` blocks: the article
/// node (Article, NewsArticle, BlogPosting, …; also inside `@graph` and arrays), then the page node.
///
/// Broken JSON (CDATA wrappers, HTML comments, trailing commas, raw control characters) gets one
/// cleaned retry; a script that still fails is skipped.
enum JSONLDReader {
    /// What the JSON-LD of a page says; every field optional.
    struct Fields: Sendable, Equatable {
        /// `headline`, else `name`.
        var title: String? { headline ?? name }
        var headline: String?
        var name: String?
        /// Every author or creator name, in order.
        var authors: [String] = []
        var published: String?
        var modified: String?
        var siteName: String?
        var description: String?
        var language: String?
        var image: String?
        var tags: [String] = []
        var url: String?
        var articleBody: String?
    }

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
        "scholarlyarticle", "techarticle", "report", "liveblogposting", "socialmediaposting",
        "discussionforumposting", "medicalscholarlyarticle", "satiricalarticle", "advertisercontentarticle",
        "review", "recipe", "howto", "qapage", "posting", "creativework", "blog",
    ]
    static let pageTypes: Set<String> = [
        "webpage", "itempage", "aboutpage", "collectionpage", "profilepage", "medicalwebpage", "faqpage",
    ]

    /// Reads the fields from the texts of all ld+json scripts of a page, in document order.
    static func read(_ scripts: [String]) -> Fields {
        var nodes: [[String: Any]] = []
        for script in scripts {
            guard let object = parse(script) else { continue }
            collect(object, into: &nodes, depth: 0)
        }
        if nodes.isEmpty { return Fields() }
        var ids: [String: [String: Any]] = [:]
        for node in nodes {
            if let id = node["@id"] as? String, ids[id] == nil || types(of: ids[id]!).isEmpty { ids[id] = node }
        }
        let article = nodes.first { !types(of: $0).isDisjoint(with: articleTypes) }
        let page = nodes.first { !types(of: $0).isDisjoint(with: pageTypes) }
        let website = nodes.first { types(of: $0).contains("website") }
        let sources = [article, page].compactMap { $0 }
        let context = Context(ids: ids)

        var f = Fields()
        func first<T>(_ get: ([String: Any]) -> T?) -> T? {
            for s in sources { if let v = get(s) { return v } }
            return nil
        }
        if let node = sources.first(where: { context.text($0["headline"]) != nil || context.text($0["name"]) != nil }) {
            f.headline = context.text(node["headline"])
            f.name = context.text(node["name"])
        }
        f.authors = first { context.nameList($0["author"]) ?? context.nameList($0["creator"]) } ?? []
        f.published = first { context.text($0["datePublished"]) ?? context.text($0["dateCreated"]) }
        if f.published == nil, article == nil {
            let video = nodes.first { types(of: $0).contains("videoobject") }
            f.published = video.flatMap { context.text($0["uploadDate"]) ?? context.text($0["datePublished"]) }
        }
        f.modified = first { context.text($0["dateModified"]) }
        f.siteName = first { context.names($0["publisher"]) ?? context.names($0["isPartOf"]) }
            ?? website.flatMap { context.text($0["name"]) }
        f.description = first { context.text($0["description"]) }
        f.language = first { context.language($0["inLanguage"]) } ?? website.flatMap { context.language($0["inLanguage"]) }
        f.image = first { context.image($0["image"]) ?? context.image($0["thumbnailUrl"]) }
        f.tags = first { context.keywords($0["keywords"]) } ?? []
        f.url = first { context.link($0["url"]) ?? context.link($0["mainEntityOfPage"]) }
        f.articleBody = article.flatMap { context.text($0["articleBody"], collapse: false) }
        return f
    }

    /// The node's `@type`s, lower-cased, without a `schema.org/` or `schema:` prefix.
    static func types(of node: [String: Any]) -> Set<String> {
        var out = Set<String>()
        let raw: [Any] = (node["@type"] as? [Any]) ?? (node["@type"].map { [$0] } ?? [])
        for t in raw {
            guard var s = (t as? String)?.lowercased() else { continue }
            if let cut = s.lastIndex(where: { $0 == "/" || $0 == ":" }) { s = String(s[s.index(after: cut)...]) }
            out.insert(s)
        }
        return out
    }

    /// Flattens arrays, `@graph` and a page's `mainEntity` into a list of nodes.
    private static func collect(_ object: Any, into nodes: inout [[String: Any]], depth: Int) {
        guard depth < 6 else { return }
        if let array = object as? [Any] {
            for item in array { collect(item, into: &nodes, depth: depth + 1) }
        } else if let dict = object as? [String: Any] {
            if dict["@type"] != nil { nodes.append(dict) }
            if let graph = dict["@graph"] { collect(graph, into: &nodes, depth: depth + 1) }
            if let main = dict["mainEntity"] as? [String: Any], main["@type"] != nil {
                collect(main, into: &nodes, depth: depth + 1)
            }
        }
    }

    // MARK: - Parsing

    /// Parses one script's JSON; on failure retries once with the text cleaned.
    static func parse(_ script: String) -> Any? {
        if let v = decode(script) { return v }
        let cleaned = clean(script)
        return cleaned == script ? nil : decode(cleaned)
    }

    private static func decode(_ s: String) -> Any? {
        guard !s.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])
    }

    /// Drops comment and CDATA wrappers, a trailing `;`, trailing commas and raw control characters.
    static func clean(_ script: String) -> String {
        var s = script
        for wrapper in ["//<![CDATA[", "//]]>", "<![CDATA[", "]]>", "<!--", "-->"] where s.contains(wrapper) {
            s = s.replacingOccurrences(of: wrapper, with: "")
        }
        // Keep the outermost object or array: wrappers like "//-->" leave junk around it.
        var b = Array(s.utf8)
        if let start = b.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }),
           let end = b.lastIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }), start < end {
            b = Array(b[start...end])
        }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var inString = false, escaped = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
                if c < 0x20 {
                    out.append(contentsOf: c == 10 ? Array("\\n".utf8) : c == 9 ? Array("\\t".utf8) : [32])
                    escaped = false
                } else {
                    out.append(c)
                }
            } else if c == UInt8(ascii: "\"") {
                inString = true
                out.append(c)
            } else if c == UInt8(ascii: ",") {
                var j = i + 1
                while j < b.count, b[j] <= 32 { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: "}") || b[j] == UInt8(ascii: "]") { i += 1; continue }
                out.append(c)
            } else {
                out.append(c < 0x20 ? 32 : c)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Values

    /// Resolves `{"@id": …}` references to the nodes of the same page.
    struct Context {
        let ids: [String: [String: Any]]

        /// A string value (first of an array), entities decoded, whitespace collapsed.
        func text(_ value: Any?, collapse: Bool = true) -> String? {
            var s: String?
            if let v = value as? String { s = v }
            else if let a = value as? [Any] { s = a.lazy.compactMap { $0 as? String }.first }
            else if let d = value as? [String: Any] { s = (d["@value"] as? String) }
            guard let raw = s else { return nil }
            let decoded = HTMLEntities.decode(raw)
            let t = collapse ? decoded.collapsedWhitespace : decoded.trimmed
            return t.isEmpty ? nil : t
        }

        /// Names of a person or organisation value (string, object, `@id` reference or array), joined by ", ".
        func names(_ value: Any?) -> String? {
            nameList(value).map { $0.joined(separator: ", ") }
        }

        /// Names of a person or organisation value, without duplicates; nil when there are none.
        func nameList(_ value: Any?) -> [String]? {
            var out: [String] = []
            collectNames(value, into: &out, depth: 0)
            var seen = Set<String>()
            let unique = out.filter { seen.insert($0.lowercased()).inserted }
            return unique.isEmpty ? nil : unique
        }

        private func collectNames(_ value: Any?, into out: inout [String], depth: Int) {
            guard depth < 4, let value else { return }
            if let s = value as? String {
                let t = HTMLEntities.decode(s).collapsedWhitespace
                if !t.isEmpty && !MetadataReader.looksLikeURL(t) { out.append(t) }
            } else if let a = value as? [Any] {
                for item in a { collectNames(item, into: &out, depth: depth + 1) }
            } else if let d = value as? [String: Any] {
                if let name = text(d["name"]), !MetadataReader.looksLikeURL(name) {
                    out.append(name)
                } else if let given = text(d["givenName"]) {
                    out.append([given, text(d["familyName"])].compactMap { $0 }.joined(separator: " "))
                } else if let id = d["@id"] as? String, let node = ids[id], d.count <= 2 || d["@type"] == nil {
                    collectNames(node, into: &out, depth: depth + 1)
                }
            }
        }

        /// An image URL from a string, an ImageObject (`url`, `contentUrl`) or an array of either.
        func image(_ value: Any?) -> String? {
            if let s = text(value as? String) { return s }
            if let a = value as? [Any] {
                for item in a { if let v = image(item) { return v } }
                return nil
            }
            if let d = value as? [String: Any] {
                if let u = text(d["url"]) ?? text(d["contentUrl"]) { return u }
                if let id = d["@id"] as? String, let node = ids[id], d.count <= 2 {
                    return text(node["url"]) ?? text(node["contentUrl"])
                }
            }
            return nil
        }

        /// Keywords from a comma-separated string or an array of strings.
        func keywords(_ value: Any?) -> [String]? {
            var out: [String] = []
            if let s = value as? String {
                out = s.split(separator: ",").map { HTMLEntities.decode(String($0)).collapsedWhitespace }
            } else if let a = value as? [Any] {
                out = a.compactMap { text($0) }
            }
            out = out.filter { !$0.isEmpty }
            return out.isEmpty ? nil : out
        }

        /// `inLanguage` as a string or a Language object (`alternateName`, `name`).
        func language(_ value: Any?) -> String? {
            if let d = value as? [String: Any] { return text(d["alternateName"]) ?? text(d["name"]) }
            return text(value)
        }

        /// A URL from a string or an object's `@id`/`url`.
        func link(_ value: Any?) -> String? {
            if let d = value as? [String: Any] { return text(d["@id"]) ?? text(d["url"]) }
            guard let s = text(value), MetadataReader.looksLikeURL(s) || s.hasPrefix("/") else { return nil }
            return s
        }
    }
}
