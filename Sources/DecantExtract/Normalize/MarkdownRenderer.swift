/// Renders blocks as GitHub-flavoured Markdown: headings, lists, quotes, fenced code,
/// pipe tables, captions and images; blocks are separated by blank lines.
enum MarkdownRenderer {
    /// The markdown of `blocks`; a non-empty `title` becomes a leading `# Title` unless the
    /// first block already is that heading.
    static func render(_ blocks: [ContentBlock], title: String? = nil) -> String {
        var chunks: [String] = []
        chunks.reserveCapacity(blocks.count + 1)
        if let title = title?.trimmed, !title.isEmpty, !startsWithTitle(blocks, title) {
            chunks.append("# " + singleLine(title))
        }
        var i = 0
        while i < blocks.count {
            let block = blocks[i]
            switch block.kind {
            case .listItem:
                var lines: [String] = []
                while i < blocks.count, case .listItem(let depth, let number) = blocks[i].kind {
                    lines.append(listLine(blocks[i], depth: depth, number: number))
                    i += 1
                }
                chunks.append(lines.joined(separator: "\n"))
                continue
            case .tableRow:
                var rows: [ContentBlock] = [block]
                i += 1
                // A header row after body rows starts a new table.
                while i < blocks.count, case .tableRow(let header) = blocks[i].kind, !header {
                    rows.append(blocks[i])
                    i += 1
                }
                chunks.append(table(rows))
                continue
            case .quote:
                var parts: [String] = []
                while i < blocks.count, case .quote = blocks[i].kind {
                    parts.append(quoted(blocks[i].markdown))
                    i += 1
                }
                chunks.append(parts.joined(separator: "\n>\n"))
                continue
            case .heading(let level):
                let md = singleLine(block.markdown)
                if !md.isEmpty { chunks.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + md) }
            case .paragraph:
                if !block.markdown.isEmpty { chunks.append(block.markdown) }
            case .code(let language):
                chunks.append(fenced(block.text, language: language))
            case .caption:
                let md = block.markdown.trimmed
                if !md.isEmpty { chunks.append("*" + md + "*") }
            case .image(let src, let alt):
                chunks.append("![" + escapeAlt(alt) + "](" + destination(src) + ")")
            }
            i += 1
        }
        return chunks.joined(separator: "\n\n")
    }

    /// The comments section of an article's `.md`: a rule, `## Comments`, then each comment under a
    /// `### author · date` heading (`### Comment N` when the page marks neither), its text escaped.
    static func comments(_ comments: [Article.Comment]) -> String {
        var chunks = ["---", "## Comments"]
        for (k, c) in comments.enumerated() {
            let head = [c.author.map { escape(singleLine($0)) }, c.published].compactMap { $0 }.joined(separator: " · ")
            chunks.append("### " + (head.isEmpty ? "Comment \(k + 1)" : head))
            for paragraph in c.text.components(separatedBy: "\n\n") where !paragraph.isEmpty {
                // A line break inside a paragraph stays one (two trailing spaces), as in the article.
                chunks.append(escape(paragraph).split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "  \n"))
            }
        }
        return chunks.joined(separator: "\n\n")
    }

    /// Plain text with markdown's inline syntax characters escaped, as the article's text is.
    private static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for ch in text {
            if "*_[]`\\<".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    private static func startsWithTitle(_ blocks: [ContentBlock], _ title: String) -> Bool {
        guard let first = blocks.first, case .heading = first.kind else { return false }
        return TitleMatch.same.matches(TextKey.make(first.text), TextKey.make(title))
    }

    private static func listLine(_ block: ContentBlock, depth: Int, number: Int?) -> String {
        let indent = String(repeating: "  ", count: max(0, depth))
        let marker = number.map { "\($0). " } ?? "- "
        // Continuation lines of a multi-line item are indented under its text.
        let pad = "\n" + indent + String(repeating: " ", count: marker.count)
        let body = block.markdown.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: pad)
        return indent + marker + body
    }

    private static func quoted(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
    }

    private static func fenced(_ code: String, language: String?) -> String {
        // The fence is longer than any backtick run inside the code.
        var longest = 0, run = 0
        for c in code.utf8 {
            if c == UInt8(ascii: "`") { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        var body = code
        while body.hasSuffix("\n") { body.removeLast() }
        return fence + (language ?? "") + "\n" + body + "\n" + fence
    }

    /// A GitHub pipe table: the first row is the header (a header row when there is one).
    private static func table(_ rows: [ContentBlock]) -> String {
        let columns = max(1, rows.map { max($0.cells.count, 1) }.max() ?? 1)
        var lines: [String] = []
        lines.reserveCapacity(rows.count + 1)
        for (k, row) in rows.enumerated() {
            let md = singleLine(row.markdown)
            let missing = columns - max(row.cells.count, 1)
            lines.append("| " + md + " |" + String(repeating: "  |", count: max(0, missing)))
            if k == 0 {
                lines.append("|" + String(repeating: " --- |", count: columns))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func singleLine(_ s: String) -> String {
        guard s.utf8.contains(10) else { return s }
        return s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    private static func escapeAlt(_ alt: String) -> String {
        var out = ""
        for ch in singleLine(alt) {
            if ch == "[" || ch == "]" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// A link destination; wrapped in `<…>` when it holds spaces or parentheses.
    private static func destination(_ url: String) -> String {
        if url.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) {
            return "<" + url.replacingOccurrences(of: ">", with: "%3E") + ">"
        }
        return url
    }
}
