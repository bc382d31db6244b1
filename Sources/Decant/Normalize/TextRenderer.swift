/// Renders blocks as plain text: each block's text, separated by blank lines.
///
/// Captions and images are left out: they are not part of the article's running text.
enum TextRenderer {
    /// The plain text of `blocks`, joined by "\n\n", without captions and images.
    static func render(_ blocks: [ContentBlock]) -> String {
        var parts: [String] = []
        parts.reserveCapacity(blocks.count)
        for block in blocks {
            switch block.kind {
            case .caption, .image: continue
            default: parts.append(block.text)
            }
        }
        return parts.joined(separator: "\n\n")
    }
}
