/// A second, independent choice of the content: Readability's classic algorithm on the same scan.
///
/// Unlikely elements (by Readability's class/id words) and hidden ones are left out; paragraphs
/// score their parent and grandparent; the best candidate (score plus tag and class weight, times
/// one minus link density) is joined by siblings that score or read like paragraphs. Its own
/// cleaning (`removed`) drops headings, lists, tables and divs the way Readability's sanitizer does.
/// `CandidateRanker` weighs its rendering against the main cleaner's.
struct BaselineScorer {
    let scan: DocumentScan

    /// The baseline's content roots in document order; empty when no paragraph scored.
    func select() -> [Int] {
        var best = -1
        var bestScore = -Float.infinity
        for i in 0..<scan.count where isCandidate(i) {
            let s = finalScore(i)
            if s > bestScore { best = i; bestScore = s }
        }
        guard best >= 0 else { return [] }
        best = nestedArticle(in: best, score: bestScore) ?? best
        best = enclosingMain(of: best) ?? best
        return withSiblings(best)
    }

    @inline(__always)
    private func isCandidate(_ i: Int) -> Bool {
        let f = scan.flags[i]
        return f.contains(.baselineCandidate) && !f.contains(.inUnlikely)
    }

    /// Paragraph score plus the node's own weight, times one minus link density.
    func finalScore(_ i: Int) -> Float {
        (scan.baselineScore[i] + nodeScore(i)) * (1 - scan.linkDensity(i))
    }

    /// Readability's starting score: class weight plus a little by tag.
    private func nodeScore(_ i: Int) -> Float {
        var s = Float(scan.baselineWeight[i])
        switch scan.tags[i] {
        case .div, .article: s += 5
        case .pre, .td, .blockquote: s += 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form, .aside: s -= 3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th, .header, .footer, .nav: s -= 5
        default: break
        }
        return s
    }

    /// An `<article>` inside the winner that scores at least a quarter of it is the story itself.
    private func nestedArticle(in best: Int, score: Float) -> Int? {
        var found: Int?
        var foundScore = -Float.infinity
        for j in (best + 1)..<Int(scan.end[best]) where scan.tags[j] == .article && isCandidate(j) {
            let s = finalScore(j)
            if scan.text[j] >= 250 && s >= score * 0.25 && s > foundScore { found = j; foundScore = s }
        }
        return found
    }

    /// The page's `<main>` when the winner sits in it outside any `<article>` and `<main>` holds much more text.
    private func enclosingMain(of best: Int) -> Int? {
        var a = best
        while a >= 0 {
            if scan.tags[a] == .article { return nil }
            a = Int(scan.parent[a])
        }
        a = Int(scan.parent[best])
        while a >= 0 {
            if scan.tags[a] == .main {
                guard scan.text[a] >= max(500, scan.text[best] * 2), scan.linkDensity(a) <= 0.15 else { return nil }
                return a
            }
            a = Int(scan.parent[a])
        }
        return nil
    }

    /// The winner with the siblings Readability appends: those that score a fifth of it (at least
    /// 10), paragraphs that read like text, and an `<h2>` heading right before it.
    private func withSiblings(_ best: Int) -> [Int] {
        let p = Int(scan.parent[best])
        guard p >= 0 else { return [best] }
        let threshold = max(10, finalScore(best) * 0.2)
        var out: [Int] = []
        var c = scan.nodes[p].firstChild
        var previous = -1
        while let n = c {
            c = n.next
            guard n.isElement, let i = scan.index(of: n) else { continue }
            defer { previous = i }
            if i == best {
                if previous >= 0 && isHeadingPreamble(previous) && out.last != previous { out.append(previous) }
                out.append(i)
                continue
            }
            let f = scan.flags[i]
            if f.contains(.inUnlikely) { continue }
            if isCandidate(i) && finalScore(i) >= threshold {
                out.append(i)
            } else if scan.tags[i] == .p {
                let ld = scan.linkDensity(i)
                let length = scan.text[i]
                if length > 80 && ld < 0.25 {
                    out.append(i)
                } else if length > 0 && length <= 80 && ld == 0 && endsSentence(n) {
                    out.append(i)
                }
            }
        }
        return out
    }

    private func isHeadingPreamble(_ i: Int) -> Bool {
        guard !isCandidate(i), !scan.flags[i].contains(.inUnlikely), scan.text[i] >= 25,
              scan.linkDensity(i) <= 0.2 else { return false }
        if scan.tags[i] == .h2 { return true }
        for j in i..<Int(scan.end[i]) where scan.tags[j] == .h2 { return true }
        return false
    }

    private func endsSentence(_ n: Node) -> Bool {
        let t = n.textContent.trimmed
        return t.hasSuffix(".") || t.contains(". ")
    }

    // MARK: - Cleaning

    /// Readability's sanitizer over the chosen roots: which elements are removed.
    func removed(roots: [Int]) -> [Bool] {
        var removed = [Bool](repeating: false, count: scan.count)
        for r in roots {
            // Children before parents, as Readability walks its conditional cleaning in reverse.
            var i = Int(scan.end[r]) - 1
            while i >= r {
                if i != r && shouldRemove(i) { removed[i] = true }
                i -= 1
            }
        }
        return removed
    }

    private func shouldRemove(_ i: Int) -> Bool {
        let f = scan.flags[i]
        if f.contains(.inUnlikely) { return true }
        let tag = scan.tags[i]
        if tag.isHeading { return scan.baselineWeight[i] < 0 || scan.linkDensity(i) > 0.33 }
        switch tag {
        case .form, .textarea: return true
        case .table, .ul, .div, .aside, .header, .footer, .section: break
        default: return false
        }
        let weight = Float(scan.baselineWeight[i])
        let score = isCandidate(i) ? finalScore(i) : 0
        if weight + score < 0 { return true }
        guard scan.commas[i] < 10 else { return false }
        var p = 0, img = 0, li = 0, embed = 0, input = 0
        for j in (i + 1)..<Int(scan.end[i]) {
            switch scan.tags[j] {
            case .p: p += 1
            case .img: img += 1
            case .li: li += 1
            case .embed, .object: embed += 1
            case .input: input += 1
            default: break
            }
        }
        li -= 100
        let length = scan.text[i]
        let ld = scan.linkDensity(i)
        if p > 0 && Float(img) > 1 + Float(p) * 1.3 { return true }
        if li > p && tag != .ul { return true }
        if Float(input) > Float(p) / 3 { return true }
        if length < 25 && img == 0 { return true }
        if length < 25 && img > 2 { return true }
        let limit: Float = (tag == .ul || tag == .section) && insideArticle(i) ? 0.25 : 0.2
        if weight < 25 && ld > limit { return true }
        if weight >= 25 && ld > 0.5 { return true }
        if (embed == 1 && length < 75) || embed > 1 { return true }
        return false
    }

    private func insideArticle(_ i: Int) -> Bool {
        var a = Int(scan.parent[i])
        while a >= 0 {
            if scan.tags[a] == .article || scan.tags[a] == .main { return true }
            a = Int(scan.parent[a])
        }
        return false
    }
}
