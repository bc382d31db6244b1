import Foundation

/// Numbers that describe one candidate rendering of a page's content, for `CandidateRanker`.
///
/// Structural facts come from the `DocumentScan` (link density, class marks, position, share of the
/// page's paragraph text); the rest from the rendered blocks (length, paragraph shape, punctuation).
/// The order is fixed: `names[k]` names `values[k]`, and the ranker's weights follow it.
struct CandidateFeatures {
    static let names: [String] = [
        "bias", "len", "paras", "blocks", "avgBlock", "headShare", "listShare", "rowShare", "punct", "longShare",
        "linkDensity", "goodShare", "textShare", "kept", "positive", "articleBody", "dropIfSmall", "listing",
        "tagArticle", "tagMain", "tagSection", "tagDiv", "tagTable", "tagBody", "depth", "start", "end",
        "h1Before", "h1Inside", "scoreRel", "commas", "heuristic", "inHeuristic", "coversHeuristic", "roots",
        "relLen", "top", "parent", "baseline",
    ]

    private(set) var values: [Float]

    /// What the ranker needs to know about the heuristic choice, to compare others with it.
    struct Reference {
        var texts: Set<String>
        var length: Int
        var lengthFeature: Float
    }

    enum Origin: Equatable {
        case heuristic
        case top(rank: Int)
        case parent(level: Int)
        case body
        case baseline
    }

    init(scan: DocumentScan, scorer: ContentScorer, roots: [Int], blocks: [ContentBlock], origin: Origin,
         reference: Reference?, topScore: Float) {
        var v = [Float](repeating: 0, count: Self.names.count)
        func set(_ name: String, _ x: Float) { v[Self.index[name]!] = x }
        set("bias", 1)
        var length = 0, paras = 0, textBlocks = 0, heads = 0, items = 0, rows = 0, punct = 0, long = 0
        for b in blocks {
            let n = b.text.utf8.count
            switch b.kind {
            case .caption, .image: continue
            case .heading: heads += 1
            case .listItem: items += 1
            case .tableRow: rows += 1
            case .paragraph, .quote:
                paras += 1
                if let last = b.text.unicodeScalars.last, Self.sentenceEnds.contains(last) { punct += 1 }
            case .code: break
            }
            textBlocks += 1
            length += n
            if n >= 150 { long += n }
        }
        let lengthFeature = log1p(Float(length))
        set("len", lengthFeature)
        set("paras", log1p(Float(paras)))
        set("blocks", log1p(Float(textBlocks)))
        set("avgBlock", log1p(Float(length) / Float(max(textBlocks, 1))))
        let tb = Float(max(textBlocks, 1))
        set("headShare", Float(heads) / tb)
        set("listShare", Float(items) / tb)
        set("rowShare", Float(rows) / tb)
        set("punct", Float(punct) / Float(max(paras, 1)))
        set("longShare", Float(long) / Float(max(length, 1)))

        var text: Int32 = 0, link: Int32 = 0, good: Int32 = 0, commas: Int32 = 0
        var positive = false, articleBody = false, dropIfSmall = false, listing = false
        for r in roots {
            text += scan.text[r]; link += scan.linkText[r]; good += scan.goodText[r]; commas += scan.commas[r]
            let f = scan.flags[r]
            positive = positive || f.contains(.positive)
            articleBody = articleBody || f.contains(.articleBody)
            dropIfSmall = dropIfSmall || f.contains(.dropIfSmall)
            listing = listing || scan.isListing(r) || f.contains(.inListing)
        }
        set("linkDensity", text > 0 ? Float(link) / Float(text) : 0)
        set("goodShare", Float(good) / Float(max(scan.goodText[0], 1)))
        set("textShare", Float(text) / Float(max(scan.text[0], 1)))
        set("kept", min(2, Float(length) / Float(max(text, 1))))
        set("positive", positive ? 1 : 0)
        set("articleBody", articleBody ? 1 : 0)
        set("dropIfSmall", dropIfSmall ? 1 : 0)
        set("listing", listing ? 1 : 0)
        set("commas", min(5, Float(commas) * 100 / Float(max(text, 1))))
        set("roots", Float(roots.count))

        let main = roots.max(by: { scan.goodText[$0] < scan.goodText[$1] }) ?? 0
        switch scan.tags[main] {
        case .article: set("tagArticle", 1)
        case .main: set("tagMain", 1)
        case .section: set("tagSection", 1)
        case .div: set("tagDiv", 1)
        case .td, .table, .tbody, .tr: set("tagTable", 1)
        case .body: set("tagBody", 1)
        default: break
        }
        var depth = 0
        var a = Int(scan.parent[main])
        while a >= 0 { depth += 1; a = Int(scan.parent[a]) }
        set("depth", log1p(Float(depth)))
        let count = Float(max(scan.count, 1))
        set("start", Float(main) / count)
        set("end", Float(scan.end[main]) / count)
        var h = main - 1
        while h >= 0 && main - h < 400 && scan.tags[h] != .h1 { h -= 1 }
        set("h1Before", h >= 0 && scan.tags[h] == .h1 ? 1 : 0)
        var inside = false
        for j in main..<Int(scan.end[main]) where scan.tags[j] == .h1 { inside = true; break }
        set("h1Inside", inside ? 1 : 0)
        set("scoreRel", topScore > 0 ? min(2, max(0, scorer.finalScore(main) / topScore)) : 0)

        switch origin {
        case .heuristic: set("heuristic", 1)
        case .top(let rank): set("top", Float(rank))
        case .parent(let level): set("parent", Float(level))
        case .body: break
        case .baseline: set("baseline", 1)
        }
        if let reference {
            var shared = 0
            var covered = 0
            var mine = Set<String>()
            for b in blocks where !b.text.isEmpty {
                if reference.texts.contains(b.text) { shared += b.text.utf8.count }
                mine.insert(b.text)
            }
            for t in reference.texts where mine.contains(t) { covered += t.utf8.count }
            set("inHeuristic", Float(shared) / Float(max(length, 1)))
            set("coversHeuristic", Float(covered) / Float(max(reference.length, 1)))
            set("relLen", lengthFeature - reference.lengthFeature)
        } else {
            set("inHeuristic", 1)
            set("coversHeuristic", 1)
        }
        values = v
    }

    /// The heuristic choice as the reference the others are compared with.
    static func reference(_ blocks: [ContentBlock]) -> Reference {
        var texts = Set<String>()
        var length = 0
        for b in blocks {
            switch b.kind {
            case .caption, .image: continue
            default:
                texts.insert(b.text)
                length += b.text.utf8.count
            }
        }
        return Reference(texts: texts, length: length, lengthFeature: log1p(Float(length)))
    }

    private static let index: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    private static let sentenceEnds: Set<Unicode.Scalar> = [".", "!", "?", "…", "\"", "”", "»", ")", "。", "！", "？"]
}
