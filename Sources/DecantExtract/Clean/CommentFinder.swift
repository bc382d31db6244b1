import DecantCore
import DecantHTML

/// Finds the reader comments among the elements the cleaner left out of the article
/// (`clean.keepComments`), each with its author and date when the page marks them.
///
/// A comment is an element `CommentPatterns` names one (WordPress `li.comment`, schema.org
/// `Comment`), or a post or list item inside a comment section (`#comments`, `#disqus_thread`, a
/// forum thread's replies). Only comments none of whose elements were rendered into the article
/// are kept, so the article's text never holds a comment and a comment never repeats the article.
/// Nested replies are comments of their own, left out of their parent's text.
struct CommentFinder {
    /// At most this many comments are kept per page.
    static let maxComments = 1000
    /// A longer author is not a name (a byline block, a whole comment): it is left out.
    static let maxAuthorCharacters = 100

    let scan: DocumentScan
    let options: CleanConfig
    let resolveURL: (String) -> String?

    /// What an element is to a comment.
    private enum Role: Equatable {
        case none, section, item, excluded, control
        case author(rank: Int), date(rank: Int), text(rank: Int)
    }

    /// The comments outside `rendered` (the scan indexes the article's text came from), in page order.
    func find(rendered: [Bool]) -> [Article.Comment] {
        let n = scan.count
        guard n > 0 else { return [] }
        let roles = classify()
        var items = [Bool](repeating: false, count: n)
        var inSection = [Bool](repeating: false, count: n)
        var inExcluded = [Bool](repeating: false, count: n)
        var anyItem = false
        for i in 0..<n {
            let p = Int(scan.parent[i])
            if p >= 0 {
                inSection[i] = inSection[p] || roles[p] == .section
                // A form in a comment section is the box to write one (a page-wide ASP.NET form is not).
                inExcluded[i] = inExcluded[p] || roles[p] == .excluded || (scan.tags[p] == .form && inSection[p])
            }
            if inExcluded[i] || roles[i] == .excluded { continue }
            // Only an element with no other part to play is a section's post (`div.post-message` is text).
            if roles[i] == .item || (roles[i] == .none && inSection[i] && isSectionItem(i)) { items[i] = true }
            if items[i] { anyItem = true }
        }
        // A section without marked comments: its list items (a plain `ol > li` list) and articles.
        for c in 0..<n where roles[c] == .section && !inSection[c] && !inExcluded[c] {
            let end = Int(scan.end[c])
            if (c..<end).contains(where: { items[$0] }) { continue }
            for j in (c + 1)..<max(c + 1, end) where !inExcluded[j] && roles[j] != .excluded {
                let p = Int(scan.parent[j])
                if scan.tags[j] == .article || (scan.tags[j] == .li && (p == c || Int(scan.parent[p]) == c)) {
                    items[j] = true
                    anyItem = true
                }
            }
        }
        guard anyItem else { return [] }
        // keptBefore[i]: how many of the first i elements the article's text came from.
        var keptBefore = [Int32](repeating: 0, count: n + 1)
        for i in 0..<n { keptBefore[i + 1] = keptBefore[i] + (rendered[i] ? 1 : 0) }
        var found: [(item: Int, author: Int?, date: Int?, text: Int?)] = []
        var removed = [Bool](repeating: false, count: n)
        for i in 0..<n {
            if roles[i] == .control || roles[i] == .excluded || (scan.tags[i] == .form && inSection[i]) { removed[i] = true }
            guard items[i] else { continue }
            removed[i] = true
            let end = Int(scan.end[i])
            guard keptBefore[end] == keptBefore[i], found.count < Self.maxComments else { continue }
            let part = parts(of: i, roles: roles, items: items)
            if let a = part.author { removed[a] = true }
            if let d = part.date { removed[d] = true }
            found.append((i, part.author, part.date, part.text))
        }
        var comments: [Article.Comment] = []
        var seen = Set<[String?]>()
        // A header holding only the author and date (`dt` before its `dd`) lends them to the next comment.
        var lent: (author: Int?, date: Int?)?
        for part in found {
            let root = part.text ?? part.item
            var builder = BlockBuilder(scan: scan, filter: BlockFilter(scan: scan, removed: removed), options: options,
                                       resolveURL: resolveURL)
            let blocks = builder.render([root]).filter { $0.text.unicodeScalars.contains(where: Self.isWordScalar) }
            let text = TextRenderer.render(blocks).trimmed
            var authorIndex = part.author, dateIndex = part.date
            if authorIndex == nil && dateIndex == nil, let l = lent { (authorIndex, dateIndex) = l }
            lent = nil
            if text.isEmpty {
                if part.author != nil { lent = (part.author, part.date) }
                continue
            }
            if isPlaceholder(text) || isLinkList(root, minus: [authorIndex, dateIndex]) { continue }
            let comment = Article.Comment(author: authorIndex.flatMap(author), published: dateIndex.flatMap(date), text: text)
            guard seen.insert([comment.author, comment.text]).inserted else { continue }
            comments.append(comment)
        }
        return comments
    }

    private static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
        u.properties.isAlphabetic || u.properties.numericType != nil
    }

    /// "No comments yet" (what an empty section shows instead of comments), or a pingback.
    private func isPlaceholder(_ text: String) -> Bool {
        let key = TextKey.make(text, limit: 40)
        func starts(_ phrase: String) -> Bool { key == phrase || key.hasPrefix(phrase + " ") }
        if Self.linkbacks.contains(where: starts) { return true }
        return text.utf8.count <= 120 && Self.placeholders.contains(where: starts)
    }

    private static let placeholders = CommentPatterns.placeholderPhrases.map { TextKey.make($0) }
    private static let linkbacks = CommentPatterns.linkbackOpenings.map { TextKey.make($0) }

    /// A list of links (a "most commented" box), not a comment: most of the text, besides the
    /// author and date, is in links.
    private func isLinkList(_ root: Int, minus parts: [Int?]) -> Bool {
        var text = scan.text[root], links = scan.linkText[root]
        for case let j? in parts where j > root && j < Int(scan.end[root]) {
            text -= scan.text[j]
            links -= scan.linkText[j]
        }
        return text > 0 && Float(links) > 0.8 * Float(text)
    }

    /// A post or reply inside a comment section: a block element named like one, or with a comment's marks.
    private func isSectionItem(_ i: Int) -> Bool {
        switch scan.tags[i] {
        case .li, .article, .div, .section:
            return names(of: scan.nodes[i]).contains(where: CommentPatterns.sectionItemNames.contains)
        default:
            return false
        }
    }

    /// The best author, date and text elements of comment `item`, outside the comments nested in it.
    private func parts(of item: Int, roles: [Role], items: [Bool]) -> (author: Int?, date: Int?, text: Int?) {
        var author: (Int, Int)?, date: (Int, Int)?, text: (Int, Int)?
        var j = item + 1
        let end = Int(scan.end[item])
        while j < end {
            if items[j] || roles[j] == .excluded {
                j = Int(scan.end[j])
                continue
            }
            switch roles[j] {
            case .author(let rank) where author == nil || rank < author!.1: author = (j, rank)
            case .date(let rank) where date == nil || rank < date!.1: date = (j, rank)
            case .text(let rank) where text == nil || rank < text!.1: text = (j, rank)
            default: break
            }
            j += 1
        }
        return (author?.0, date?.0, text?.0)
    }

    /// The author's name: its text without "says:", nil when empty or too long to be a name.
    private func author(_ i: Int) -> String? {
        var name = scan.nodes[i].textContent.collapsedWhitespace
        while name.hasSuffix(":") || name.hasSuffix(",") { name = String(name.dropLast()).trimmed }
        let lower = name.lowercased()
        for suffix in CommentPatterns.authorSuffixes where lower.hasSuffix(" " + suffix) {
            name = String(name.dropLast(suffix.count + 1)).trimmed
            break
        }
        return name.isEmpty || name.count > Self.maxAuthorCharacters ? nil : name
    }

    /// The date in ISO 8601: from `datetime`, `content` or `title`, else the element's text.
    private func date(_ i: Int) -> String? {
        let node = scan.nodes[i]
        for attr in ["datetime", "content", "title"] {
            if let v = node.attribute(attr), let iso = DateNormalizer.normalize(v) { return iso }
        }
        return DateNormalizer.normalize(node.textContent.collapsedWhitespace)
    }

    // MARK: - Roles from names

    /// Each element's role by its tag, class and id names and microdata.
    private func classify() -> [Role] {
        var roles = [Role](repeating: .none, count: scan.count)
        for i in 0..<scan.count { roles[i] = role(of: scan.nodes[i], tag: scan.tags[i]) }
        return roles
    }

    private func role(of node: Node, tag: Tag) -> Role {
        let names = names(of: node)
        let props = words(node.attribute("itemprop"))
        if names.contains(where: CommentPatterns.excludedNames.contains) { return .excluded }
        // A form named like a comment (`form#comment`) is the box to write one.
        if tag == .form && names.contains(where: { CommentPatterns.itemNames.contains($0) || CommentPatterns.sectionNames.contains($0) }) {
            return .excluded
        }
        let types = words(node.attribute("itemtype")).map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if types.contains(where: CommentPatterns.itemTypes.contains) || props.contains(where: CommentPatterns.itemProps.contains)
            || tag.isBlock && names.contains(where: CommentPatterns.itemNames.contains) {
            return .item
        }
        if names.contains(where: CommentPatterns.sectionNames.contains) { return .section }
        if props.contains(where: CommentPatterns.textProps.contains) { return .text(rank: -1) }
        if props.contains(where: CommentPatterns.authorProps.contains) { return .author(rank: -1) }
        if props.contains(where: CommentPatterns.dateProps.contains) || tag == .time { return .date(rank: -1) }
        if let r = Self.rank(names, CommentPatterns.textNames) { return .text(rank: r) }
        if let r = Self.rank(names, CommentPatterns.authorNames) { return .author(rank: r) }
        if let r = Self.rank(names, CommentPatterns.dateNames) { return .date(rank: r) }
        if names.contains(where: CommentPatterns.controlNames.contains) { return .control }
        return .none
    }

    /// The best (lowest) position in `list` of any of `names`.
    private static func rank(_ names: [String], _ list: [String]) -> Int? {
        var best: Int?
        for name in names {
            if let k = list.firstIndex(of: name), best == nil || k < best! { best = k }
        }
        return best
    }

    /// The element's class names and id, lower-cased, letters and digits only.
    private func names(of node: Node) -> [String] {
        var out = words(node.attribute("class")).map(Self.compact)
        if let id = node.attribute("id") { out.append(Self.compact(Substring(id))) }
        return out.filter { !$0.isEmpty }
    }

    private func words(_ value: String?) -> [String] {
        guard let value else { return [] }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map { $0.lowercased() }
    }

    private static func compact<S: StringProtocol>(_ s: S) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
    }
}
