/// Drops short promotional paragraphs: calls to action ("Subscribe to our newsletter", "Follow us
/// on Twitter") in the last part of an article, paragraphs that open with one ("Subscribe today
/// and get …") and advertising disclosures anywhere in it.
enum PromotionFilter {
    /// Longest paragraph (in UTF-8 bytes) that can be a promotion.
    static let maxLength = 300
    /// Longest call to action (in UTF-8 bytes) dropped wherever it stands ("Get our newsletter").
    static let maxHeadlineLength = 80
    /// Share of the article's text after which calls to action are looked for.
    static let tailStart = 0.6

    static func drop(_ blocks: [ContentBlock]) -> [ContentBlock] {
        let total = blocks.reduce(0) { $0 + $1.text.utf8.count }
        guard total > 0 else { return blocks }
        var seen = 0
        var out: [ContentBlock] = []
        out.reserveCapacity(blocks.count)
        for (k, block) in blocks.enumerated() {
            let length = block.text.utf8.count
            defer { seen += length }
            guard case .paragraph = block.kind, length <= maxLength, blocks.count > 1 else {
                out.append(block)
                continue
            }
            let key = TextKey.make(block.text, limit: maxLength)
            if disclosures.matches(key) || openings.matchesStart(key) { continue }
            let inTail = k > 0 && Double(seen) >= tailStart * Double(total)
            if inTail && callsToAction.matches(key) { continue }
            if length <= maxHeadlineLength && newsletters.matches(key) {
                continue
            }
            out.append(block)
        }
        return out
    }

    static let callsToAction = PhraseMatcher(BoilerplatePatterns.callToActionPhrases)
    static let newsletters = PhraseMatcher(BoilerplatePatterns.newsletterPhrases)
    static let disclosures = PhraseMatcher(BoilerplatePatterns.disclosurePhrases)
    static let openings = PhraseMatcher(BoilerplatePatterns.callToActionOpenings)
}
