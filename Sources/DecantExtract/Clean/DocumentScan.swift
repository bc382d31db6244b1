import Foundation
import DecantHTML

/// One iterative walk over the body that classifies every element and sums its text.
///
/// Each visited element gets an index (kept in the node's `_private` slot while the scan lives);
/// per-index arrays hold tag, flags, text and link-text lengths, paragraph counts and the
/// Readability-style content score that paragraphs pass up to their ancestors.
struct DocumentScan {
    /// How strict the scan is; the cleaner relaxes these when the strict pass finds too little.
    struct Rules {
        var useClassSignals = true
        var useFurnitureTags = true
        var skipHidden = true
    }

    private(set) var nodes: [Node] = []
    private(set) var parent: [Int32] = []
    private(set) var tags: [Tag] = []
    var flags: [ElementFlags] = []
    /// Non-space characters of text below the element (skipped subtrees excluded).
    private(set) var text: [Int32] = []
    /// The part of `text` inside links.
    private(set) var linkText: [Int32] = []
    /// Characters in paragraph-like blocks below that are not link lists (furniture included).
    private(set) var paraText: [Int32] = []
    /// The largest `paraText` of an article-marked (`positive`) element in the subtree.
    private(set) var positiveText: [Int32] = []
    /// The part of `paraText` outside furniture.
    private(set) var goodText: [Int32] = []
    private(set) var commas: [Int32] = []
    private(set) var paragraphs: [Int32] = []
    private(set) var listItems: [Int32] = []
    private(set) var images: [Int32] = []
    /// Direct `<article>` children (three or more make the element a listing of teasers).
    private(set) var articleChildren: [Int32] = []
    /// The part of `goodText` inside listings.
    private(set) var listingText: [Int32] = []
    /// Text outside block children (a run of phrasing content, scored as an anonymous paragraph).
    private(set) var ownText: [Int32] = []
    /// The part of `ownText` inside links.
    private(set) var ownLinkText: [Int32] = []
    /// One past the last index of the element's subtree (indexes are in document order).
    private(set) var end: [Int32] = []
    /// Readability-style score passed up from paragraphs.
    private(set) var score: [Float] = []
    /// Hash of the element's tag and class value: alike siblings (cards of a feed) share it.
    private(set) var signature: [UInt32] = []
    /// For each open element (innermost last): its current run of alike teaser-card children.
    private var runs: [ChildRun] = []

    /// Consecutive alike children of an open element that look like teaser cards.
    private struct ChildRun {
        var signature: UInt32 = 0
        var count: Int32 = 0
        var text: Int32 = 0
        var bestCount: Int32 = 0
        var bestText: Int32 = 0
    }
    let root: Node
    let rules: Rules
    /// The thresholds of paragraphs, listings, lifted marks and scores (and the scorer's and filter's).
    let params: ScoringParameters

    /// Scans `root`'s subtree; `expectedElements` sizes the arrays once (a guess is fine).
    init(root: Node, rules: Rules = Rules(), parameters: ScoringParameters = .standard, expectedElements: Int = 1024) {
        self.root = root
        self.rules = rules
        self.params = parameters
        var classifier = AttributeClassifier()
        reserve(max(256, expectedElements))
        walk(&classifier)
        finish()
    }

    var count: Int { nodes.count }

    private mutating func reserve(_ n: Int) {
        nodes.reserveCapacity(n); parent.reserveCapacity(n); tags.reserveCapacity(n); flags.reserveCapacity(n)
        text.reserveCapacity(n); linkText.reserveCapacity(n); paraText.reserveCapacity(n)
        positiveText.reserveCapacity(n); goodText.reserveCapacity(n); commas.reserveCapacity(n)
        paragraphs.reserveCapacity(n); listItems.reserveCapacity(n); images.reserveCapacity(n)
        articleChildren.reserveCapacity(n); listingText.reserveCapacity(n); ownText.reserveCapacity(n)
        ownLinkText.reserveCapacity(n); end.reserveCapacity(n); score.reserveCapacity(n)
        signature.reserveCapacity(n)
    }

    /// The scan index of an element visited by this scan, or nil.
    @inline(__always)
    func index(of node: Node) -> Int? {
        let i = node.scanIndex
        guard i > 0, i <= nodes.count, nodes[i - 1] == node else { return nil }
        return i - 1
    }

    /// A feed or teaser list: three or more `<article>` children, or a run of alike teaser cards.
    @inline(__always)
    func isListing(_ i: Int) -> Bool { articleChildren[i] >= params.minListingArticles || flags[i].contains(.listing) }

    /// Link density: the share of an element's text inside links.
    @inline(__always)
    func linkDensity(_ i: Int) -> Float {
        text[i] > 0 ? Float(linkText[i]) / Float(text[i]) : 0
    }

    // MARK: - The walk

    private mutating func walk(_ classifier: inout AttributeClassifier) {
        var linkDepth = 0
        var n = root
        var current = -1  // index of the innermost open element
        outer: while true {
            var descend = false
            if n.isElement {
                let i = enter(n, parent: current, classifier: &classifier)
                if !flags[i].contains(.skip) {
                    current = i
                    if tags[i] == .a { linkDepth += 1 }
                    runs.append(ChildRun())
                    descend = true
                }
            } else if n.isText, current >= 0, let bytes = n.contentBytes {
                countText(bytes, into: current, inLink: linkDepth > 0)
            }
            if descend, let child = n.firstChild {
                n = child
                continue
            }
            if descend { close(current, linkDepth: &linkDepth); current = Int(parent[current]) }
            while true {
                if n == root { return }
                if let s = n.next { n = s; continue outer }
                guard let p = n.anyParent else { return }
                n = p
                if current >= 0 && nodes[current] == n {
                    close(current, linkDepth: &linkDepth)
                    current = Int(parent[current])
                }
                if n == root { return }
            }
        }
    }

    /// Registers an element and classifies it from its tag and attributes.
    private mutating func enter(_ node: Node, parent p: Int, classifier: inout AttributeClassifier) -> Int {
        let i = nodes.count
        let tag = node.tag
        nodes.append(node)
        parent.append(Int32(p))
        tags.append(tag)
        text.append(0); linkText.append(0); paraText.append(0); positiveText.append(0); goodText.append(0); commas.append(0)
        paragraphs.append(0); listItems.append(0); images.append(0); score.append(0)
        end.append(Int32(i + 1))
        articleChildren.append(0); listingText.append(0)
        ownText.append(0); ownLinkText.append(0)
        signature.append(UInt32(tag.rawValue))
        node.scanIndex = i + 1
        var f = ElementFlags()
        if p >= 0 {
            if tag.isBlock { flags[p].insert(.blockChild) }
            switch tag {
            case .p: paragraphs[p] += 1
            case .li: listItems[p] += 1
            case .img: images[p] += 1
            case .article: articleChildren[p] += 1
            default: break
            }
        }
        // <noscript> is skipped except by the last, weakest attempt: some pages carry their
        // article only there (a script renders it for browsers).
        if tag.isSkipped && (tag != .noscript || rules.skipHidden) { f.insert(.skip) }
        if rules.useFurnitureTags && tag.isFurniture {
            // An article's own <header> holds its title, byline and often its lead: judge it by size.
            if tag == .header && p >= 0 && insideArticle(p) {
                f.insert(.dropIfSmall)
            } else {
                f.insert([.drop, .furnitureTag])
            }
        }
        if !f.contains(.skip) { classifyAttributes(node, index: i, tag: tag, into: &f, classifier: &classifier) }
        // Class says article, id says furniture (or the reverse): let size decide.
        if f.contains(.drop) && f.contains(.positive) && !f.contains(.furnitureTag) {
            f.remove(.drop)
            f.insert(.dropIfSmall)
        }
        if tag == .article || tag == .main { f.insert(.positive) }
        if tag == .article { f.insert(.articleBody) }
        flags.append(f)
        return i
    }

    /// True when element `i` or an ancestor is an `<article>`, `<main>` or marked as the article body.
    private func insideArticle(_ i: Int) -> Bool {
        var a = i
        while a >= 0 {
            if tags[a] == .article || tags[a] == .main || flags[a].contains(.articleBody) { return true }
            a = Int(parent[a])
        }
        return false
    }

    private mutating func classifyAttributes(_ node: Node, index i: Int, tag: Tag, into f: inout ElementFlags,
                                             classifier: inout AttributeClassifier) {
        node.forEachAttribute { name, value in
            switch name[0] {
            case UInt8(ascii: "c") where strcmpBytes(name, "class"), UInt8(ascii: "i") where strcmpBytes(name, "id"):
                if name[0] == UInt8(ascii: "c") {
                    signature[i] = Fingerprint.fnv1a32(value, seed: signature[i])
                }
                guard rules.useClassSignals else { return }
                let s = classifier.classify(value)
                if s.drop { f.insert(.drop) }
                if s.ad { f.insert(.adSlot) }
                if s.caption { f.insert(.caption) }
                if s.lead { f.insert(.lead) }
                if s.dropIfSmall { f.insert(.dropIfSmall) }
                if s.positive { f.insert(.positive) }
                if s.strong { f.insert(.articleBody) }
            case UInt8(ascii: "r") where strcmpBytes(name, "role"):
                let role = String(decoding: value, as: UTF8.self).lowercased()
                if role == "dialog" || role == "alertdialog" { f.insert(.skip) }
                else if rules.useFurnitureTags && BoilerplatePatterns.dropRoles.contains(role) { f.insert(.drop) }
                else if role == "main" || role == "article" { f.insert(.positive) }
            case UInt8(ascii: "i") where strcmpBytes(name, "itemprop"):
                let prop = String(decoding: value, as: UTF8.self).lowercased()
                if prop == "articlebody" || prop == "reviewbody" { f.insert([.positive, .articleBody]) }
            case UInt8(ascii: "h") where rules.skipHidden && strcmpBytes(name, "hidden"):
                f.insert(.hidden)
            case UInt8(ascii: "a") where rules.skipHidden && strcmpBytes(name, "aria-hidden"):
                if value.count == 4 && value[0] == UInt8(ascii: "t") { f.insert(.hidden) }
            case UInt8(ascii: "s") where rules.skipHidden && strcmpBytes(name, "style"):
                if Self.styleHides(value) { f.insert(.hidden) }
            default:
                break
            }
        }
    }

    /// True for inline styles with `display:none` or `visibility:hidden`.
    static func styleHides(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(v.count)
        for b in v where b != 32 && b != 9 && b != 10 && b != 13 { compact.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
        return compact.starts(with: Array("display:none".utf8)) || compact.firstRange(of: Array(";display:none".utf8)) != nil
            || compact.firstRange(of: Array("visibility:hidden".utf8)) != nil
    }

    /// Counts non-space characters and commas of a text node into its element.
    @inline(__always)
    private mutating func countText(_ bytes: UnsafePointer<UInt8>, into i: Int, inLink: Bool) {
        var chars: Int32 = 0
        var comma: Int32 = 0
        var k = 0
        while true {
            let b = bytes[k]
            if b == 0 { break }
            if b == 44 { comma += 1 }
            if b > 32 && (b & 0xC0) != 0x80 { chars += 1 }
            // "，" U+FF0C and "、" U+3001 count as commas too.
            if b == 0xEF && bytes[k + 1] == 0xBC && bytes[k + 2] == 0x8C { comma += 1 }
            if b == 0xE3 && bytes[k + 1] == 0x80 && bytes[k + 2] == 0x81 { comma += 1 }
            k += 1
        }
        text[i] += chars
        commas[i] += comma
        if inLink { linkText[i] += chars }
    }

    /// Finishes an element: marks it a paragraph if it is one, and adds its sums to its parent.
    private mutating func close(_ i: Int, linkDepth: inout Int) {
        let tag = tags[i]
        if tag == .a { linkDepth -= 1 }
        end[i] = Int32(nodes.count)
        var f = flags[i]
        let p = Int(parent[i])
        let isParagraph: Bool
        switch tag {
        case .p:
            isParagraph = true
        case .pre, .td, .dd, .blockquote, .div, .section, .article, .main, .center, .font, .dt, .th:
            isParagraph = !f.contains(.blockChild) && text[i] >= params.minParagraphText
        case .span, .li, .other:
            // Inline-ish elements count only when they stand alone among blocks.
            isParagraph = !f.contains(.blockChild) && text[i] >= params.minParagraphText && p >= 0 && flags[p].contains(.blockChild)
                && !tags[p].isParagraphContainer
        default:
            isParagraph = false
        }
        if isParagraph {
            f.insert(.paragraph)
            flags[i] = f
            ownText[i] = text[i]
            ownLinkText[i] = linkText[i]
            if text[i] >= params.minParagraphText && linkDensity(i) < params.maxParagraphLinkDensity { paraText[i] = text[i] - linkText[i] }
        } else if f.contains(.blockChild) {
            // ownText holds the block children's text so far: the rest is this element's own run.
            let own = text[i] - ownText[i]
            let ownLink = linkText[i] - ownLinkText[i]
            ownText[i] = own
            ownLinkText[i] = ownLink
            if own >= params.minParagraphText && ownLink * params.ownRunLinkFactor < own { paraText[i] += own - ownLink }
        } else {
            ownText[i] = 0
            ownLinkText[i] = 0
        }
        // Only a strong article mark (articleBody, <article>, `entry-content`) may lift a furniture mark.
        if f.contains(.positive) && f.contains(.articleBody) { positiveText[i] = max(positiveText[i], paraText[i]) }
        // A caption is a line or two under a picture; a caption class on a block with paragraphs
        // (`slide-caption` around a gallery's story, `tag-credit-cards` on a post) marks no caption.
        if f.contains(.caption) && (paragraphs[i] >= params.maxCaptionParagraphs || text[i] > params.maxCaptionText) { f.remove(.caption) }
        if tag.isHeading && linkText[i] > 0 && linkText[i] * params.linkedHeadingFactor >= text[i] { f.insert(.linkedHeading) }
        let run = runs.removeLast()
        if run.bestCount >= params.minListingRun && run.bestText * params.listingRunTextFactor >= text[i] && text[i] > 0 {
            f.insert(.listing)
        }
        flags[i] = f
        guard p >= 0 else { return }
        if !runs.isEmpty {
            // Copied out and back: an inout element of `runs` while reading `self` would copy the array.
            var parentRun = runs[runs.count - 1]
            noteChild(i, in: &parentRun)
            runs[runs.count - 1] = parentRun
        }
        if tag.isBlock {
            // Collected in the parent's ownText until the parent closes (see above).
            ownText[p] += text[i]
            ownLinkText[p] += linkText[i]
        }
        // An article mark inside furniture (`format_text` in a comment) says nothing about the parent.
        if !f.contains(.drop) { positiveText[p] = max(positiveText[p], positiveText[i]) }
        text[p] += text[i]
        linkText[p] += linkText[i]
        paraText[p] += paraText[i]
        commas[p] += commas[i]
        paragraphs[p] &+= paragraphs[i]
        listItems[p] &+= listItems[i]
        images[p] &+= images[i]
        if f.contains(.positive) || f.contains(.containsPositive) { flags[p].insert(.containsPositive) }
        if f.contains(.linkedHeading) { flags[p].insert(.linkedHeading) }
    }

    /// Counts a closed child into its parent's run of alike teaser cards: a block with a linked
    /// heading and little text (at most 600 characters, a tenth or more of it in links, by default).
    @inline(__always)
    private func noteChild(_ c: Int, in run: inout ChildRun) {
        let teaser = flags[c].contains(.linkedHeading) && linkText[c] * params.teaserLinkFactor >= text[c] && text[c] <= params.maxTeaserText
            && tags[c] != .p
        guard teaser else {
            if text[c] > 0 { run.count = 0; run.text = 0; run.signature = 0 }
            return
        }
        if run.count > 0 && run.signature == signature[c] {
            run.count += 1
            run.text += text[c]
        } else {
            run.signature = signature[c]
            run.count = 1
            run.text = text[c]
        }
        if run.count > run.bestCount || (run.count == run.bestCount && run.text > run.bestText) {
            run.bestCount = run.count
            run.bestText = run.text
        }
    }

    // MARK: - Deciding furniture and scoring (over the arrays, not the tree)

    /// Decides which furniture marks stand, then scores paragraphs outside furniture.
    ///
    /// A furniture mark is lifted from an element that holds most of the page's paragraph text
    /// in an article-marked descendant, or nearly all of it (a layout wrapper such as
    /// `content with-sidebar`, or a blog engine's `widget Blog`).
    private mutating func finish() {
        let n = nodes.count
        guard n > 0 else { return }
        let total = max(paraText[0], 1)
        for i in 0..<n {
            var f = flags[i]
            let p = Int(parent[i])
            if f.contains(.drop) {
                let share = Float(paraText[i]) / Float(total)
                let articleShare = Float(positiveText[i]) / Float(total)
                if paraText[i] >= params.liftMinText && (share >= params.liftPageShare || articleShare >= params.liftArticleShare) {
                    f.remove(.drop)
                } else if f.contains(.adSlot) && !f.contains(.furnitureTag) && paraText[i] >= params.adSlotLiftText
                            && linkDensity(i) < params.liftMaxLinkDensity {
                    // Ad slots hold no paragraphs; a section with ads in it does.
                    f.remove(.drop)
                } else if !f.contains(.furnitureTag) && paraText[i] >= params.revealMinText && linkDensity(i) < params.liftMaxLinkDensity
                            && revealsRest(i) {
                    // A "read more" box holding the rest of the article behind its button.
                    f.remove(.drop)
                    f.insert(.revealed)
                }
            }
            // Hidden blocks are furniture (menus, dialogs, tooltips) unless they hold real paragraphs:
            // the rest of an article behind a "Read more" button.
            if f.contains(.hidden) {
                if paraText[i] >= params.revealMinText && linkDensity(i) < params.revealHiddenMaxLinkDensity && revealsRest(i) { f.insert(.revealed) } else { f.insert(.drop) }
            }
            if f.contains(.drop) || (p >= 0 && flags[p].contains(.inDrop)) { f.insert(.inDrop) }
            if p >= 0 && (isListing(p) || flags[p].contains(.inListing)) { f.insert(.inListing) }
            flags[i] = f
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            let f = flags[i]
            let own = ownText[i]
            if own >= params.minParagraphText && !f.contains(.inDrop) {
                let ld = Float(ownLinkText[i]) / Float(own)
                if ld < params.maxParagraphLinkDensity { goodText[i] += own - ownLinkText[i] }
                let isParagraph = f.contains(.paragraph)
                let commaCount = isParagraph ? Float(commas[i]) : 0
                let s = (1 + commaCount + min(Float(own) / params.scoreCharsPerPoint, params.maxLengthPoints)) * (1 - ld)
                // A paragraph scores its ancestors; an anonymous run scores its own element first.
                // Teaser summaries in a feed score nothing: many short blurbs are not an article.
                if !f.contains(.inListing) { addScore(s, from: isParagraph ? i : -1 - i) }
            }
            let p = Int(parent[i])
            if isListing(i) { listingText[i] = goodText[i] }
            if p >= 0 && !f.contains(.inDrop) {
                goodText[p] += goodText[i]
                listingText[p] += listingText[i]
            }
        }
    }

    /// True when a "Read more" control stands right before element `i`, or among its first elements.
    private func revealsRest(_ i: Int) -> Bool {
        if followsExpander(i) { return true }
        var j = i + 1
        let stop = min(Int(end[i]), i + params.expanderLookahead)
        while j < stop {
            // A <button> is skipped by the scan, so its text is not counted: read it.
            if ((text[j] > 0 && text[j] <= params.maxExpanderText) || tags[j] == .button) && !tags[j].isHeading
                && Self.expanderLabels.contains(TextKey.make(nodes[j].textContent, limit: 60)) {
                return true
            }
            j += 1
        }
        return false
    }

    /// True when a "Read more" control stands right before element `i` (or before the container it opens).
    private func followsExpander(_ i: Int) -> Bool {
        var n: Node? = nodes[i]
        for _ in 0..<2 {
            guard let start = n else { return false }
            var sibling = start.previous
            var looked = 0
            while let s = sibling, looked < 2 {
                sibling = s.previous
                let label: String
                if s.isText {
                    label = s.textContent
                } else if s.isElement {
                    if let j = index(of: s), text[j] > params.maxExpanderText { break }
                    label = s.textContent
                } else {
                    continue
                }
                let key = TextKey.make(label, limit: 60)
                if key.isEmpty { continue }
                looked += 1
                if Self.expanderLabels.contains(key) { return true }
            }
            n = start.parent
        }
        return false
    }

    private static let expanderLabels: Set<String> = Set(BoilerplatePatterns.expanderLabels.map { TextKey.make($0) })

    /// Passes a paragraph's score to five ancestors: all to the parent, half to the grandparent, then less.
    /// `from` is a paragraph's index, or `-1 - i` to start at element `i` itself.
    private mutating func addScore(_ s: Float, from i: Int) {
        var a = i >= 0 ? Int(parent[i]) : -1 - i
        var level = 0
        while a >= 0 && level < params.scoreLevels {
            let share: Float = level == 0 ? s : (level == 1 ? s / 2 : s / Float(level * 3))
            score[a] += share
            a = Int(parent[a])
            level += 1
        }
    }

    /// Clears the `_private` indexes so a later scan of the same document starts clean.
    func reset() {
        for n in nodes { n.scanIndex = 0 }
    }
}
