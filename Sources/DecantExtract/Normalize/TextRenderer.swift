/// Renders blocks as plain text: each block's text, separated by blank lines.
///
/// Captions and images are left out: they are not part of the article's running text, except in a
/// picture story, whose captions hold at least as much text as its paragraphs.
enum TextRenderer {
    /// The plain text of `blocks`, joined by "\n\n", without images (and captions, but in picture stories).
    static func render(_ blocks: [ContentBlock]) -> String {
        var captionBytes = 0, textBytes = 0
        for b in blocks {
            switch b.kind {
            case .caption: captionBytes += b.text.utf8.count
            case .image: break
            default: textBytes += b.text.utf8.count
            }
        }
        // A picture story: its captions say at least as much as its running text, so they are its text.
        let keepCaptions = captionBytes > 0 && captionBytes >= textBytes
        var parts: [String] = []
        parts.reserveCapacity(blocks.count)
        for block in blocks {
            switch block.kind {
            case .caption where keepCaptions: parts.append(block.text)
            case .caption, .image: continue
            default: parts.append(block.text)
            }
        }
        return parts.joined(separator: "\n\n")
    }
}
