/// Drops lead-ins left dangling: a heading or a short "More on this:" line with nothing after it
/// introduces a block the cleaner removed, so it is furniture itself. At the end of an article that
/// is any such line; inside it, a heading followed at once by a heading of its own or a higher level
/// (its section is empty: "Recommended for you" over a removed link list).
enum DanglingTail {
    /// Longest text (in characters) a colon-ended line may have to count as a lead-in.
    static let maxLeadInLength = 80

    static func trim(_ input: [ContentBlock]) -> [ContentBlock] {
        let blocks = withoutEmptySections(input)
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

    /// `blocks` without headings whose section holds nothing before the next heading of the same
    /// or a higher level.
    static func withoutEmptySections(_ blocks: [ContentBlock]) -> [ContentBlock] {
        var drop: [Int] = []
        for k in 0..<max(0, blocks.count - 1) {
            guard case .heading(let level) = blocks[k].kind, case .heading(let next) = blocks[k + 1].kind,
                  next <= level else { continue }
            drop.append(k)
        }
        guard !drop.isEmpty else { return blocks }
        var out = blocks
        for k in drop.reversed() { out.remove(at: k) }
        return out
    }

    private static func isLeadIn(_ text: String) -> Bool {
        text.count <= maxLeadInLength && text.last == ":"
    }
}
