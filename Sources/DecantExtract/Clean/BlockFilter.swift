import DecantHTML
/// Decides, inside the chosen content, which elements are furniture and must not be rendered.
///
/// Uses the scan's marks (furniture tags, roles, class tokens), content signals (link density,
/// size) and block headings such as "Related articles" or "Lesen Sie auch", which drop the
/// block they title.
struct BlockFilter {
    private(set) var removed: [Bool]
    private let scan: DocumentScan
    private var p: ScoringParameters { scan.params }

    init(scan: DocumentScan, roots: [Int]) {
        self.scan = scan
        removed = [Bool](repeating: false, count: scan.count)
        for r in roots { mark(root: r) }
    }

    /// A filter that removes exactly what `removed` says (nothing, for a fragment that is all content).
    init(scan: DocumentScan, removed: [Bool]) {
        self.scan = scan
        self.removed = removed
    }

    @inline(__always) func isRemoved(_ i: Int) -> Bool { removed[i] }

    private mutating func mark(root: Int) {
        var i = root
        let end = Int(scan.end[root])
        while i < end {
            if removed[i] { i = Int(scan.end[i]); continue }
            if i != root && isFurniture(i, root: root) {
                removed[i] = true
                i = Int(scan.end[i])
                continue
            }
            if scan.tags[i] == .header { keepOnlyLeads(in: i) }
            if i != root, let heading = headingLevel(i), isFurnitureHeading(i) {
                dropBlock(titledBy: i, level: heading, root: root)
                if removed[i] { i = Int(scan.end[i]); continue }
            }
            i += 1
        }
    }

    /// In an article's header only a lead paragraph is content: the title is a field of its own,
    /// and kickers, bylines and date lines are furniture.
    private mutating func keepOnlyLeads(in header: Int) {
        var j = header + 1
        let end = Int(scan.end[header])
        while j < end {
            let f = scan.flags[j]
            let leaf = f.contains(.paragraph) || scan.tags[j].isHeading || !f.contains(.blockChild) && scan.tags[j].isBlock
            if leaf {
                if scan.text[j] < p.headerMinText || scan.tags[j].isHeading { removed[j] = true }
                j = Int(scan.end[j])
            } else {
                j += 1
            }
        }
    }

    /// Furniture by marks and by content signals.
    private func isFurniture(_ i: Int, root: Int) -> Bool {
        let f = scan.flags[i]
        if f.contains(.skip) || f.contains(.drop) { return true }
        // A teaser feed inside the content is furniture, unless it is the content (a forum thread).
        if scan.isListing(i) && scan.goodText[i] * p.listingFurnitureFactor < scan.goodText[root] { return true }
        let tag = scan.tags[i]
        if f.contains(.dropIfSmall) && !f.contains(.positive) && !f.contains(.containsPositive)
            && scan.text[i] < p.smallBlockText && !tag.isHeading && tag != .p && !f.contains(.revealed) {
            return true
        }
        // A block holding most of the content's paragraph text is the article, links or not.
        if scan.goodText[i] * p.majorityFactor >= scan.goodText[root] && scan.goodText[i] > 0 { return false }
        switch tag {
        case .div, .section, .ul, .ol, .dl, .table, .form, .aside, .center, .menu, .nav, .header, .footer, .figure:
            guard scan.commas[i] < p.proseCommas, scan.text[i] > 0 else { return false }
            let ld = scan.linkDensity(i)
            let limit = f.contains(.positive) ? p.positiveMaxLinkDensity : p.containerMaxLinkDensity
            return ld > limit
        case .td where scan.flags[i].contains(.blockChild) || scan.text[i] >= p.cellMinText:
            // A layout table's column of links (the navigation beside the story).
            guard scan.commas[i] < p.proseCommas, scan.goodText[i] * p.majorityFactor < scan.goodText[root] else { return false }
            return scan.linkDensity(i) > p.cellMaxLinkDensity
        case .p:
            return scan.linkDensity(i) > p.paragraphMaxLinkDensity && scan.text[i] < p.linkParagraphText
        default:
            return false
        }
    }

    /// The heading level of a heading element, or 7 for a short standalone text block; nil otherwise.
    private func headingLevel(_ i: Int) -> Int? {
        let tag = scan.tags[i]
        if tag.isHeading { return Int(tag.rawValue - Tag.h1.rawValue) + 1 }
        switch tag {
        case .p, .div, .dt, .header:
            if scan.text[i] > 0 && scan.text[i] <= p.pseudoHeadingText && !scan.flags[i].contains(.blockChild) { return 7 }
            return nil
        default:
            return nil
        }
    }

    private func isFurnitureHeading(_ i: Int) -> Bool {
        guard scan.text[i] <= p.furnitureHeadingText else { return false }
        let key = TextKey.make(scan.nodes[i].textContent)
        return BlockHeadings.matches(key, allowTail: scan.tags[i].isHeading)
    }

    /// Drops the block a furniture heading titles: its smallest container that starts with it, or else
    /// the heading and its following siblings up to the next heading of the same or a higher level.
    private mutating func dropBlock(titledBy h: Int, level: Int, root: Int) {
        let rootText = max(scan.paraText[root], 1)
        var container: Int?
        var c = Int(scan.parent[h])
        var child = h
        while c > root {
            guard startsWith(c, child: child), Float(scan.paraText[c]) < p.headingBlockShare * Float(rootText) else { break }
            container = c
            child = c
            c = Int(scan.parent[c])
        }
        if let container {
            removed[container] = true
            return
        }
        removed[h] = true
        var s = scan.nodes[h].next
        while let n = s {
            s = n.next
            guard n.isElement, let j = scan.index(of: n) else { continue }
            if let l = headingLevel(j), l <= level, scan.tags[j].isHeading { break }
            removed[j] = true
        }
    }

    /// True when `child` is the first element with text inside `container`.
    private func startsWith(_ container: Int, child: Int) -> Bool {
        var n = scan.nodes[child].previous
        while let p = n {
            if p.isText {
                if let c = p.contentBytes, !isBlank(c) { return false }
            } else if p.isElement, let j = scan.index(of: p), scan.text[j] > 0 {
                return false
            }
            n = p.previous
        }
        let parent = Int(scan.parent[child])
        return parent == container
    }

    private func isBlank(_ c: UnsafePointer<UInt8>) -> Bool {
        var k = 0
        while c[k] != 0 {
            if c[k] > 32 { return false }
            k += 1
        }
        return true
    }
}

/// The block-heading phrases as a set, matched whole or (for real headings) as a leading run of
/// words followed by at most 25 more characters ("More from The Atlantic").
enum BlockHeadings {
    static let phrases: Set<String> = Set(BoilerplatePatterns.blockHeadings.map { TextKey.make($0) })

    static func matches(_ key: String, allowTail: Bool) -> Bool {
        if key.isEmpty { return false }
        if phrases.contains(key) { return true }
        guard allowTail else { return false }
        let utf8 = key.utf8
        var end = utf8.startIndex
        while end != utf8.endIndex {
            if utf8[end] == 32 {
                let head = key[key.startIndex..<end]
                if phrases.contains(String(head)) {
                    return key.count - head.count - 1 <= 25
                }
            }
            end = utf8.index(after: end)
        }
        return false
    }
}
