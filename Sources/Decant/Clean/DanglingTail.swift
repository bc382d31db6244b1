/// Drops lead-ins left dangling at the end of an article: a heading or a short "More on this:" line
/// with nothing after it introduces a block the cleaner removed, so it is furniture itself.
enum DanglingTail {
    /// Longest text (in characters) a colon-ended line may have to count as a lead-in.
    static let maxLeadInLength = 80

    static func trim(_ blocks: [ContentBlock]) -> [ContentBlock] {
        var end = blocks.count
        var cut = blocks.count
        while end > 1 {
            let block = blocks[end - 1]
            switch block.kind {
            case .image, .caption:
                end -= 1
                continue
            case .heading where block.text.last != ".":
                break
            case .paragraph where isLeadIn(block.text):
                break
            default:
                return Array(blocks[..<cut])
            }
            end -= 1
            cut = end
        }
        return Array(blocks[..<cut])
    }

    private static func isLeadIn(_ text: String) -> Bool {
        text.count <= maxLeadInLength && text.last == ":"
    }
}
