import Foundation
import DecantHTML

/// Chooses the element(s) holding the article from a `DocumentScan`.
///
/// Readability's method on the scan's paragraph scores: the best-scoring container (weighted by
/// tag, class hints and link density), moved up when several strong candidates share an ancestor
/// or its parent scores higher, then joined by siblings that look like article too.
struct ContentScorer {
    let scan: DocumentScan
    private var p: ScoringParameters { scan.params }

    /// Scan indexes of the chosen elements in document order; empty when nothing scores.
    func select() -> [Int] {
        // Nothing scores (a page of a few words, text only in links): the body is the content,
        // as Readability falls back to it; the filter still drops its furniture.
        guard let top = topCandidates(limit: p.candidates).first else { return scan.count > 0 && scan.text[0] > 0 ? [0] : [] }
        var best = climbToSharedAncestor(top)
        best = climbWhileParentScoresHigher(best)
        best = climbOutOfOnlyChild(best)
        best = expandToArticle(best)
        best = climbWhileContentSpreads(best)
        let roots = withSplitParts(of: top.index, added: withSiblings(best))
        return (lead(before: roots) ?? standfirst(before: roots)).map { [$0] + roots } ?? roots
    }

    /// The standfirst right after the page's headline: the next element after the nearest `<h1>`
    /// before the content, when it is a short, link-free paragraph or subheading.
    private func standfirst(before roots: [Int]) -> Int? {
        guard let first = roots.first else { return nil }
        var h = first - 1
        while h >= 0 && first - h < p.leadWindow && scan.tags[h] != .h1 { h -= 1 }
        guard h >= 0, scan.tags[h] == .h1, Int(scan.end[h]) <= first else { return nil }
        var c = scan.nodes[h].next
        while let n = c {
            c = n.next
            guard n.isElement else { continue }
            guard let i = scan.index(of: n) else { return nil }
            if scan.text[i] == 0 { continue }
            let tag = scan.tags[i]
            guard tag == .p || tag == .h2, Int(scan.end[i]) <= first,
                  scan.text[i] >= p.standfirstMinText && scan.text[i] <= p.standfirstMaxText,
                  scan.linkDensity(i) < p.standfirstMaxLinkDensity,
                  !scan.flags[i].contains(.skip), !scan.flags[i].contains(.drop),
                  !scan.flags[i].contains(.caption) else { return nil }
            return i
        }
        return nil
    }

    /// Adds the other parts of an article that ads or widgets split into separate containers:
    /// elements with the same tag and class as the top candidate that read like article text.
    private func withSplitParts(of top: Int, added roots: [Int]) -> [Int] {
        guard let topClass = scan.nodes[top].attribute("class"), !topClass.isEmpty else { return roots }
        let tag = scan.tags[top]
        let minScore = contentScore(top) * p.splitPartScoreShare
        var parts: [Int] = []
        for i in 0..<scan.count where i != top && scan.tags[i] == tag && scan.goodText[i] >= p.splitPartMinText {
            let f = scan.flags[i]
            if f.contains(.skip) || f.contains(.inDrop) || scan.isListing(i) { continue }
            if scan.linkDensity(i) >= p.splitPartMaxLinkDensity || contentScore(i) < minScore { continue }
            if roots.contains(where: { overlaps($0, i) }) || parts.contains(where: { overlaps($0, i) }) { continue }
            guard scan.nodes[i].attribute("class") == topClass else { continue }
            parts.append(i)
        }
        return parts.isEmpty ? roots : (roots + parts).sorted()
    }

    private func overlaps(_ a: Int, _ b: Int) -> Bool {
        (b >= a && b < Int(scan.end[a])) || (a >= b && a < Int(scan.end[b]))
    }

    /// A lead paragraph placed just before the content (in the article's header, or beside the
    /// body's container): the nearest preceding lead-marked element that shares a close ancestor.
    private func lead(before roots: [Int]) -> Int? {
        guard let first = roots.first else { return nil }
        var i = first - 1
        while i >= 0 && first - i < p.leadWindow {
            let f = scan.flags[i]
            if f.contains(.lead) && !f.contains(.skip) && Int(scan.end[i]) <= first
                && scan.text[i] >= p.leadMinText && scan.text[i] <= p.leadMaxText && scan.linkDensity(i) < p.leadMaxLinkDensity
                && !(f.contains(.inDrop) && !insideHeader(i)) && sharesCloseAncestor(i, first) {
                return i
            }
            i -= 1
        }
        return nil
    }

    private func insideHeader(_ i: Int) -> Bool {
        var a = Int(scan.parent[i])
        while a >= 0 {
            if scan.tags[a] == .header { return true }
            a = Int(scan.parent[a])
        }
        return false
    }

    /// True when the lowest common ancestor of `a` and `b` is at most four levels above `b`.
    private func sharesCloseAncestor(_ a: Int, _ b: Int) -> Bool {
        var up = Int(scan.parent[b])
        var level = 0
        while up >= 0 && level < p.leadAncestorLevels {
            if a > up && a < Int(scan.end[up]) { return true }
            up = Int(scan.parent[up])
            level += 1
        }
        return false
    }

    /// Moves up while the parent holds substantially more article-like text than the element
    /// (page builders split an article across nested columns and widgets), the parent is not
    /// link-heavy, and most of its own readable text is paragraph text.
    private func climbWhileContentSpreads(_ start: Int) -> Int {
        var r = start
        while true {
            let p = Int(scan.parent[r])
            guard p > 0, !scan.flags[p].contains(.inDrop) else { return r }
            guard !scan.isListing(p) else { return r }
            let mine = Float(scan.goodText[r])
            let extra = Float(scan.goodText[p] - scan.listingText[p]) - mine
            guard extra >= max(self.p.spreadMinExtra, self.p.spreadExtraShare * mine) else { return r }
            guard scan.linkDensity(p) < self.p.spreadMaxLinkDensity else { return r }
            let readable = Float(scan.text[p] - scan.linkText[p])
            guard Float(scan.goodText[p]) >= self.p.spreadParagraphShare * readable else { return r }
            r = p
        }
    }

    /// Moves up to the nearest enclosing element marked as the article body (`<article>`,
    /// `itemprop=articleBody`, `entry-content`, ...), so the lead, subheads and parts split
    /// across sibling blocks come along; its furniture is filtered later.
    private func expandToArticle(_ start: Int) -> Int {
        var a = start
        var depth = 0
        while a > 0 && depth <= p.articleSearchDepth {
            let f = scan.flags[a]
            if f.contains(.inDrop) { break }
            if f.contains(.articleBody) {
                // An article element that wraps much more than the body (a ticker, a feed) is a page wrapper.
                let grows = Float(scan.goodText[a]) <= p.articleGrowthFactor * Float(scan.goodText[start]) + p.articleGrowthSlack
                return scan.linkDensity(a) < p.articleMaxLinkDensity && grows ? a : start
            }
            a = Int(scan.parent[a])
            depth += 1
        }
        return start
    }

    /// The element's final score: accumulated paragraph score plus tag and class weight, times (1 − link density).
    func finalScore(_ i: Int) -> Float {
        let s = (scan.score[i] + baseScore(i)) * (1 - scan.linkDensity(i))
        // A listing of teaser articles gathers many paragraphs but is not an article, nor is a teaser in it.
        return scan.isListing(i) || scan.flags[i].contains(.inListing) ? s * p.listingScoreFactor : s
    }

    /// The paragraph score alone, times (1 − link density).
    func contentScore(_ i: Int) -> Float {
        scan.score[i] * (1 - scan.linkDensity(i))
    }

    private func baseScore(_ i: Int) -> Float {
        var s: Float
        switch scan.tags[i] {
        case .div, .article, .main, .section: s = p.sectionWeight
        case .pre, .td, .blockquote: s = p.preformattedWeight
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: s = p.listWeight
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: s = p.headingWeight
        default: s = 0
        }
        let f = scan.flags[i]
        // A class hint counts fully only for a block with real text: "content" on a 200-character
        // box must not outweigh the paragraphs of the article.
        let weight = p.classHintWeight * min(1, Float(scan.goodText[i]) / p.classHintFullText)
        if f.contains(.positive) { s += weight }
        if f.contains(.dropIfSmall) { s -= p.dropIfSmallPenalty }
        return s
    }

    private func isCandidate(_ i: Int) -> Bool {
        let f = scan.flags[i]
        return scan.score[i] > 0 && !f.contains(.inDrop) && !f.contains(.skip)
    }

    private func topCandidates(limit: Int) -> [(index: Int, score: Float)] {
        var top: [(index: Int, score: Float)] = []
        for i in 0..<scan.count where isCandidate(i) {
            let s = finalScore(i)
            if top.count < limit || s > top[top.count - 1].score {
                top.append((i, s))
                top.sort { $0.score > $1.score }
                if top.count > limit { top.removeLast() }
            }
        }
        return top
    }

    private func ancestors(_ i: Int) -> [Int] {
        var out: [Int] = []
        var a = Int(scan.parent[i])
        while a >= 0 { out.append(a); a = Int(scan.parent[a]) }
        return out
    }

    /// When three or more other strong candidates (≥ 75 % of the best) share an ancestor with it, use that.
    private func climbToSharedAncestor(_ top: (index: Int, score: Float)) -> Int {
        let others = topCandidates(limit: p.candidates).dropFirst()
            .filter { top.score > 0 && $0.score / top.score >= p.sharedAncestorShare }
        guard others.count >= p.sharedAncestorCount else { return top.index }
        let lists = others.map { Set(ancestors($0.index)) }
        var a = Int(scan.parent[top.index])
        while a > 0 && !scan.isListing(a) {
            if lists.filter({ $0.contains(a) }).count >= p.sharedAncestorCount { return a }
            a = Int(scan.parent[a])
        }
        return top.index
    }

    /// Moves up while a parent scores higher than the child (stopping when scores fall below a third).
    private func climbWhileParentScoresHigher(_ start: Int) -> Int {
        var best = start
        var last = finalScore(start)
        let threshold = last / self.p.parentClimbDivisor
        var p = Int(scan.parent[start])
        while p > 0 && !scan.isListing(p) {
            if scan.score[p] <= 0 || scan.flags[p].contains(.inDrop) { p = Int(scan.parent[p]); continue }
            let s = finalScore(p)
            if s < threshold { break }
            if s > last { best = p; break }
            last = s
            p = Int(scan.parent[p])
        }
        return best
    }

    /// An element that is its parent's only element child is replaced by the parent.
    private func climbOutOfOnlyChild(_ start: Int) -> Int {
        var best = start
        while true {
            let p = Int(scan.parent[best])
            guard p > 0, !scan.flags[p].contains(.inDrop) else { return best }
            var elements = 0
            var c = scan.nodes[p].firstChild
            while let n = c, elements < 2 {
                if n.isElement { elements += 1 }
                c = n.next
            }
            guard elements == 1 else { return best }
            best = p
        }
    }

    /// The chosen element plus siblings that score well or read like article paragraphs.
    private func withSiblings(_ best: Int) -> [Int] {
        let p = Int(scan.parent[best])
        guard p >= 0 else { return [best] }
        // Siblings are compared on paragraph scores alone: class hints such as "post" also mark
        // the teaser cards of related posts that often sit beside the article.
        let bestScore = contentScore(best)
        let threshold = max(self.p.siblingMinScore, bestScore * self.p.siblingScoreShare)
        let bestClass = scan.nodes[best].attribute("class") ?? ""
        // Inside an article container, any sibling with article-like text belongs to it.
        let inArticle = scan.flags[p].contains(.articleBody)
        var out: [Int] = []
        var c = scan.nodes[p].firstChild
        while let n = c {
            c = n.next
            guard n.isElement, let i = scan.index(of: n) else { continue }
            if i == best { out.append(i); continue }
            let f = scan.flags[i]
            if f.contains(.skip) || f.contains(.inDrop) || scan.isListing(i) { continue }
            var bonus: Float = 0
            if !bestClass.isEmpty, n.attribute("class") == bestClass { bonus += bestScore * self.p.siblingClassBonus }
            if scan.score[i] > 0 && contentScore(i) + bonus >= threshold {
                out.append(i)
            } else if inArticle && scan.goodText[i] >= self.p.articleSiblingText
                        && scan.linkDensity(i) < self.p.articleSiblingMaxLinkDensity {
                out.append(i)
            } else if scan.tags[i] == .p || f.contains(.paragraph) {
                let ld = scan.linkDensity(i)
                let length = scan.text[i]
                if length > self.p.siblingParagraphText && ld < self.p.siblingParagraphMaxLinkDensity {
                    out.append(i)
                } else if length > 0 && length <= self.p.siblingParagraphText && ld == 0 && looksLikeSentence(n) {
                    out.append(i)
                }
            }
        }
        return out
    }

    private func looksLikeSentence(_ n: Node) -> Bool {
        let t = n.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.hasSuffix(".") || t.contains(". ")
    }
}
