import DecantCore
import DecantHTML

/// What one site rule did to one page: metadata overrides, dropped elements, and the content
/// elements that replace the cleaner's own choice (nil: the generic choice).
///
/// Order: `title`, `date` and `author` read the intact page; then `drop` removes its elements;
/// then `content` selects among what is left.
struct SitePass {
    /// The rule's key in `sites` (the host suffix that matched).
    let key: String
    /// The elements `content` selected, outermost only, in document order; nil when it has no
    /// `content` XPaths or they matched no element.
    private(set) var contentRoots: [Node]?
    /// One line per XPath, for `decant extract --explain`.
    private(set) var notes: [String] = []

    /// Applies `rule` to `doc`, overriding `metadata`; checks `deadline` after each XPath.
    init(rule: SiteRule, key: String, doc: HTMLDocument, metadata: inout PageMetadata,
         deadline: ExtractDeadline) throws(ExtractError) {
        self.key = key
        guard let xpath = XPathContext(doc) else {
            notes.append("no XPath context (out of memory): generic cleaner")
            return
        }
        if let title = rule.title {
            if let value = xpath.firstString(title) {
                metadata.title = value
                metadata.titleIsDeclared = true
                notes.append("title \(title): \"\(value.prefix(80))\"")
            } else {
                notes.append("title \(title): matched nothing, generic title kept")
            }
            try deadline.checkExtraction(.siteRules)
        }
        if let date = rule.date {
            if let value = xpath.firstString(date) {
                if let iso = DateNormalizer.normalize(value) {
                    metadata.published = iso
                    notes.append("date \(date): \(iso)")
                } else {
                    notes.append("date \(date): \"\(value.prefix(80))\" is not a date, generic date kept")
                }
            } else {
                notes.append("date \(date): matched nothing, generic date kept")
            }
            try deadline.checkExtraction(.siteRules)
        }
        if let author = rule.author {
            let names = xpath.firstString(author).map { BylineCleaner.names($0) } ?? []
            if names.isEmpty {
                notes.append("author \(author): matched no name, generic author kept")
            } else {
                metadata.authors = names
                notes.append("author \(author): \(names.joined(separator: ", "))")
            }
            try deadline.checkExtraction(.siteRules)
        }
        for expression in rule.drop {
            let victims = Self.elements(xpath.evaluate(expression))
            Self.remove(victims)
            notes.append("drop \(expression): removed \(victims.count) element(s)")
            try deadline.checkExtraction(.siteRules)
        }
        guard !rule.content.isEmpty else { return }
        var selected: [Node] = []
        for expression in rule.content {
            let found = Self.elements(xpath.evaluate(expression))
            notes.append("content \(expression): matched \(found.count) element(s)")
            selected += found
            try deadline.checkExtraction(.siteRules)
        }
        let roots = Self.outermost(selected)
        if roots.isEmpty {
            notes.append("content matched nothing: generic cleaner")
        } else {
            contentRoots = roots
        }
    }

    /// Notes that the content elements gave no text, so the generic choice was used instead.
    mutating func contentGaveNoText() {
        notes.append("content elements hold no text: generic cleaner")
        contentRoots = nil
    }

    /// The element nodes of a result (text, attribute and other nodes are ignored).
    private static func elements(_ value: XPath.Value) -> [Node] {
        guard case .nodes(let nodes, _) = value else { return [] }
        return nodes.filter(\.isElement)
    }

    /// `nodes` without those inside another of them (or repeated), in their order.
    private static func outermost(_ nodes: [Node]) -> [Node] {
        if nodes.count < 2 { return nodes }
        let all = Set(nodes)
        var seen = Set<Node>()
        return nodes.filter { node in
            guard seen.insert(node).inserted else { return false }
            var p = node.parent
            while let up = p {
                if all.contains(up) { return false }
                p = up.parent
            }
            return true
        }
    }

    /// Unlinks and frees `victims`, skipping those inside another victim (freed with it).
    private static func remove(_ victims: [Node]) {
        for node in outermost(victims) { node.remove() }
    }
}
