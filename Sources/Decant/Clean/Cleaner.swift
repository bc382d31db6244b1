import Foundation

/// Finds the main content of a page and returns it as blocks, dropping boilerplate.
///
/// Like Readability, it retries with weaker rules when the strict pass finds too little text
/// (class hints off, then furniture tags and hidden-element rules off) and keeps the best attempt.
struct Cleaner {
    var options: CleanConfig

    /// Text (in characters) an attempt must reach to be accepted without trying weaker rules.
    static let enoughText = 100

    static let attempts: [DocumentScan.Rules] = [
        DocumentScan.Rules(),
        DocumentScan.Rules(useClassSignals: false),
        DocumentScan.Rules(useClassSignals: false, useFurnitureTags: false, skipHidden: false),
    ]

    /// Pages with more elements than this are cleaned without weighing alternatives (time and memory).
    static let maxRankedElements = 60_000

    /// The content blocks of `doc`; throws `.timeBudgetExceeded` when `deadline` passes between attempts.
    func clean(_ doc: HTMLDocument, metadata: PageMetadata, pageURL: String? = nil,
               deadline: ExtractDeadline? = nil) throws(ExtractError) -> [ContentBlock] {
        try clean(doc, metadata: metadata, pageURL: pageURL, deadline: deadline, report: nil)
    }

    /// One candidate rendering of the content and what the ranker saw of it.
    struct Candidate {
        var origin: CandidateFeatures.Origin
        var roots: [Int]
        var blocks: [ContentBlock]
        var features: CandidateFeatures
        var text: String { TextRenderer.render(blocks) }
    }

    /// What `report` receives: every candidate of an attempt, and the one chosen.
    typealias Report = (_ attempt: Int, _ candidates: [Candidate], _ chosen: Int) -> Void

    /// Cleans the page; `report` receives every candidate of each attempt made, and the one chosen.
    func clean(_ doc: HTMLDocument, metadata: PageMetadata, pageURL: String?, deadline: ExtractDeadline?,
               report: Report?) throws(ExtractError) -> [ContentBlock] {
        guard let body = doc.body ?? doc.root else { return [] }
        let resolver = URLResolver(base: metadata.baseURL ?? pageURL)
        var best: [ContentBlock] = []
        var bestLength = -1
        for (attempt, rules) in Self.attempts.enumerated() {
            if attempt > 0 { try deadline?.check(.clean) }
            let blocks = render(body, rules: rules, expectedElements: doc.elementCount, resolver: resolver,
                                title: metadata.documentTitle,
                                report: report.map { r in { r(attempt, $0, $1) } })
            let length = blocks.reduce(0) { $0 + $1.text.utf8.count }
            if length >= Self.enoughText { return blocks }
            if length > bestLength {
                best = blocks
                bestLength = length
            }
        }
        // Images alone are no article.
        return bestLength > 0 ? best : []
    }

    /// One attempt's blocks: the heuristic choice, or the candidate the ranker prefers. The scan's
    /// per-element arrays are freed when it returns.
    private func render(_ body: Node, rules: DocumentScan.Rules, expectedElements: Int, resolver: URLResolver,
                        title: String?, report: (([Candidate], Int) -> Void)?) -> [ContentBlock] {
        let scan = DocumentScan(root: body, rules: rules, expectedElements: expectedElements)
        defer { scan.reset() }
        let scorer = ContentScorer(scan: scan)
        let roots = scorer.select()
        func render(_ roots: [Int], _ filter: BlockFilter) -> [ContentBlock] {
            var builder = BlockBuilder(scan: scan, filter: filter, options: options,
                                       resolveURL: { Cleaner.linkTarget($0, resolver) })
            return DanglingTail.trim(PromotionFilter.drop(TitleTrimmer.trim(builder.render(roots), title: title)))
        }
        let blocks = render(roots, BlockFilter(scan: scan, roots: roots))
        guard report != nil || CandidateRanker.isActive, !roots.isEmpty, scan.count <= Self.maxRankedElements
        else { return blocks }
        let candidates = rank(scan: scan, scorer: scorer, heuristic: (roots, blocks), render: render)
        let chosen = CandidateRanker.choose(candidates.map(\.features))
        report?(candidates, chosen)
        return candidates[chosen].blocks
    }

    /// The heuristic choice first, then the alternatives the scorer offers and the whole body.
    private func rank(scan: DocumentScan, scorer: ContentScorer, heuristic: ([Int], [ContentBlock]),
                      render: ([Int], BlockFilter) -> [ContentBlock]) -> [Candidate] {
        let topScore = scorer.topCandidates(limit: 1).first?.score ?? 0
        let reference = CandidateFeatures.reference(heuristic.1)
        var out = [Candidate(origin: .heuristic, roots: heuristic.0, blocks: heuristic.1,
                             features: CandidateFeatures(scan: scan, scorer: scorer, roots: heuristic.0,
                                                         blocks: heuristic.1, origin: .heuristic,
                                                         reference: nil, topScore: topScore))]
        var seen: Set<[Int]> = [heuristic.0]
        var options: [(CandidateFeatures.Origin, [Int])] = []
        var rank = 0
        var parents = 0
        for alt in scorer.alternatives(to: heuristic.0, limit: 5) {
            if isParentOf(alt, heuristic.0, scan) {
                parents += 1
                options.append((.parent(level: parents), alt))
            } else {
                rank += 1
                options.append((.top(rank: rank), alt))
            }
        }
        options.append((.body, [0]))
        let baseline = BaselineScorer(scan: scan)
        let baselineRoots = baseline.select()
        if !baselineRoots.isEmpty {
            let blocks = render(baselineRoots, BlockFilter(scan: scan, removed: baseline.removed(roots: baselineRoots)))
            out.append(Candidate(origin: .baseline, roots: baselineRoots, blocks: blocks,
                                 features: CandidateFeatures(scan: scan, scorer: scorer, roots: baselineRoots,
                                                             blocks: blocks, origin: .baseline, reference: reference,
                                                             topScore: topScore)))
        }
        for (origin, roots) in options where seen.insert(roots).inserted {
            let blocks = render(roots, BlockFilter(scan: scan, roots: roots))
            out.append(Candidate(origin: origin, roots: roots, blocks: blocks,
                                 features: CandidateFeatures(scan: scan, scorer: scorer, roots: roots, blocks: blocks,
                                                             origin: origin, reference: reference,
                                                             topScore: topScore)))
        }
        return out
    }

    private func isParentOf(_ alt: [Int], _ roots: [Int], _ scan: DocumentScan) -> Bool {
        alt.count == 1 && roots.contains { r in
            var a = Int(scan.parent[r])
            var level = 0
            while a >= 0 && level < 2 {
                if a == alt[0] { return true }
                a = Int(scan.parent[a])
                level += 1
            }
            return false
        }
    }

    /// Where a link or image reference points, or nil to keep its text unlinked (empty,
    /// in-page `#…` anchors, `javascript:` and `data:`).
    static func linkTarget(_ reference: String, _ resolver: URLResolver) -> String? {
        let r = reference.trimmed
        if r.isEmpty || r.hasPrefix("#") { return nil }
        return resolver.resolve(r)
    }
}

/// Removes the article's own title when the content repeats it as its first heading.
enum TitleTrimmer {
    static func trim(_ blocks: [ContentBlock], title: String?) -> [ContentBlock] {
        guard let title, !title.isEmpty else { return blocks }
        let key = TextKey.make(title)
        var seen = 0
        for (k, block) in blocks.enumerated() {
            if case .heading = block.kind, sameTitle(TextKey.make(block.text), key) {
                var out = blocks
                out.remove(at: k)
                return out
            }
            seen += block.text.utf8.count
            if seen > 300 { break }
        }
        return blocks
    }

    /// Equal, or one contains the other and is at least half as long ("Title" vs "Title - Site").
    static func sameTitle(_ a: String, _ b: String) -> Bool {
        if a.isEmpty || b.isEmpty { return false }
        if a == b { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        return short.count * 2 >= long.count && long.contains(short)
    }
}
