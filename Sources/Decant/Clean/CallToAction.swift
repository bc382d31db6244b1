/// Drops short promotional paragraphs ("Subscribe to our newsletter", "Follow us on Twitter")
/// from the last part of an article, where sites append them after the story.
enum CallToAction {
    /// Longest paragraph (in UTF-8 bytes) that can be a call to action.
    static let maxLength = 240
    /// Share of the article's text after which calls to action are looked for.
    static let tailStart = 0.6

    static let phrases: [String] = BoilerplatePatterns.callToActionPhrases

    static func drop(_ blocks: [ContentBlock]) -> [ContentBlock] {
        let total = blocks.reduce(0) { $0 + $1.text.utf8.count }
        guard total > 0 else { return blocks }
        var seen = 0
        var out: [ContentBlock] = []
        out.reserveCapacity(blocks.count)
        for block in blocks {
            let length = block.text.utf8.count
            defer { seen += length }
            if case .paragraph = block.kind, length <= maxLength, out.count > 0,
               Double(seen) >= tailStart * Double(total), matches(block.text) {
                continue
            }
            out.append(block)
        }
        return out
    }

    static func matches(_ text: String) -> Bool {
        let key = TextKey.make(text, limit: maxLength)
        return phrases.contains { key.contains($0) }
    }
}
