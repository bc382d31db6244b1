import DecantHTML
/// The page's `<meta>` values by key: `property`/`name` lower-cased (`og:title`, `dc.creator`),
/// `itemprop:<name>` for microdata and `http-equiv:<name>`.
struct MetaTags {
    private(set) var values: [String: [String]] = [:]

    mutating func add(_ n: Node) {
        guard let content = n.attribute("content")?.collapsedWhitespace, !content.isEmpty else { return }
        if let p = n.attribute("property") { add(p.lowercased(), content) }
        if let name = n.attribute("name") { add(name.lowercased(), content) }
        if let props = n.attribute("itemprop") {  // a space-separated list ("datePublished dateCreated")
            for prop in props.lowercased().split(separator: " ") { add("itemprop:" + prop, content) }
        }
        if let equiv = n.attribute("http-equiv") { add("http-equiv:" + equiv.lowercased(), content) }
    }

    mutating func add(_ key: String, _ value: String) {
        let k = key.trimmed
        if values[k]?.count ?? 0 < 50 { values[k, default: []].append(value) }
    }

    /// The first value of the first key present.
    func first(_ keys: String...) -> String? {
        for k in keys { if let v = values[k]?.first { return v } }
        return nil
    }

    /// Every value of `key`, in document order.
    func all(_ key: String) -> [String] { values[key] ?? [] }
}
