import Foundation
import DecantCore
import DecantHTML

/// Finds the main content of a page and returns it as blocks, dropping boilerplate.
///
/// Like Readability, it retries with weaker rules when the strict pass finds too little text
/// (class hints off, then furniture tags and hidden-element rules off) and keeps the best attempt.
struct Cleaner {
    var options: CleanConfig
    /// The scan's, scorer's and filter's thresholds.
    var parameters: ScoringParameters = .standard

    static let attempts: [DocumentScan.Rules] = [
        DocumentScan.Rules(),
        DocumentScan.Rules(useClassSignals: false),
        DocumentScan.Rules(useClassSignals: false, useFurnitureTags: false, skipHidden: false),
    ]

    /// The content blocks of `doc`; throws `.timeBudgetExceeded` when `deadline` passes between attempts.
    /// `contentRoots` (a site rule's `content`) replace the scorer's choice of roots; the rest is the same.
    func clean(_ doc: HTMLDocument, metadata: PageMetadata, pageURL: String? = nil,
               deadline: ExtractDeadline? = nil, contentRoots: [Node]? = nil) throws(ExtractError) -> [ContentBlock] {
        try content(doc, metadata: metadata, pageURL: pageURL, deadline: deadline, contentRoots: contentRoots).blocks
    }

    /// The content blocks of `doc` and, with `keepComments`, the reader comments left out of them
    /// (from the same attempt); throws `.timeBudgetExceeded` when `deadline` passes between attempts.
    func content(_ doc: HTMLDocument, metadata: PageMetadata, pageURL: String? = nil,
                 deadline: ExtractDeadline? = nil, contentRoots: [Node]? = nil) throws(ExtractError) -> (blocks: [ContentBlock], comments: [Article.Comment]) {
        guard let body = doc.body ?? doc.root else { return ([], []) }
        let resolver = URLResolver(base: metadata.baseURL ?? pageURL)
        var best: [ContentBlock] = []
        var bestComments: [Article.Comment] = []
        var bestLength = -1
        for (k, rules) in Self.attempts.enumerated() {
            if k > 0 { try deadline?.checkExtraction(.clean) }
            let (rendered, comments) = render(body, rules: rules, expectedElements: doc.elementCount, resolver: resolver,
                                             contentRoots: contentRoots)
            let blocks = DanglingTail.trim(PromotionFilter.drop(TitleTrimmer.trim(rendered, title: metadata.documentTitle)))
            let length = blocks.reduce(0) { $0 + $1.text.utf8.count }
            if length >= parameters.enoughText { return (blocks, comments) }
            if length > bestLength {
                best = blocks
                bestComments = comments
                bestLength = length
            }
        }
        // Images alone are no article.
        return bestLength > 0 ? (best, bestComments) : ([], [])
    }

    /// One attempt's blocks, and its comments with `keepComments`. The scan's per-element arrays are
    /// freed when it returns, before the blocks are filtered further.
    private func render(_ body: Node, rules: DocumentScan.Rules, expectedElements: Int,
                        resolver: URLResolver, contentRoots: [Node]?) -> ([ContentBlock], [Article.Comment]) {
        let scan = DocumentScan(root: body, rules: rules, parameters: parameters, expectedElements: expectedElements)
        defer { scan.reset() }
        let roots = contentRoots.map { Self.scanRoots($0, scan) } ?? ContentScorer(scan: scan).select()
        let filter = BlockFilter(scan: scan, roots: roots)
        let resolveURL = { Cleaner.linkTarget($0, resolver) }
        var builder = BlockBuilder(scan: scan, filter: filter, options: options, resolveURL: resolveURL)
        let blocks = builder.render(roots)
        guard options.keepComments else { return (blocks, []) }
        let finder = CommentFinder(scan: scan, options: options, resolveURL: resolveURL)
        return (blocks, finder.find(rendered: Self.rendered(scan, roots: roots, filter: filter)))
    }

    /// The elements the builder renders: those inside a root that the filter keeps.
    private static func rendered(_ scan: DocumentScan, roots: [Int], filter: BlockFilter) -> [Bool] {
        var out = [Bool](repeating: false, count: scan.count)
        for r in roots {
            var i = r
            while i < Int(scan.end[r]) {
                if i != r && filter.isRemoved(i) { i = Int(scan.end[i]); continue }
                out[i] = true
                i += 1
            }
        }
        return out
    }

    /// The scan indices of a site rule's content elements, in document order; elements the scan
    /// did not visit (outside the body, or inside what it skips) are left out.
    static func scanRoots(_ nodes: [Node], _ scan: DocumentScan) -> [Int] {
        nodes.compactMap { scan.index(of: $0) }.sorted()
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
            if case .heading = block.kind, TitleMatch.oneContainsTheOther.matches(TextKey.make(block.text), key) {
                var out = blocks
                out.remove(at: k)
                return out
            }
            seen += block.text.utf8.count
            if seen > 300 { break }
        }
        return blocks
    }
}
