import DecantCore
import DecantHTML
/// Renders the chosen content elements into `ContentBlock`s: headings, paragraphs, list items,
/// quotes, code, table rows, captions and images, with inline markdown for links and emphasis.
///
/// Block boundaries always end a block, so text from separate blocks never runs together.
struct BlockBuilder {
    let scan: DocumentScan
    let filter: BlockFilter
    let options: CleanConfig
    let resolveURL: (String) -> String?

    private(set) var blocks: [ContentBlock] = []
    /// Texts of the paragraphs rendered so far, with the ordinal of the root they came from.
    private var seen: [String: Int] = [:]
    private var rootOrdinal = 0
    private var buffer = InlineBuffer()
    private var headingLevel: Int?
    private var quoteDepth = 0
    private var captionDepth = 0
    private var lists: [(ordered: Bool, counter: Int)] = []
    private var items: [(depth: Int, number: Int?)] = []
    private var preDepth = 0
    private var codeDepth = 0
    private var preLanguage: String?
    private var tables: [Bool] = []  // true: a data table rendered as rows
    private var row: [String]?
    private var rowMarkdown: [String] = []
    private var rowIsHeader = false
    /// Open inline spans: the scan index they belong to, where they start, their opener and closer.
    private var spans: [(index: Int, start: Int, opener: String, closer: String)] = []

    init(scan: DocumentScan, filter: BlockFilter, options: CleanConfig, resolveURL: @escaping (String) -> String?) {
        self.scan = scan
        self.filter = filter
        self.options = options
        self.resolveURL = resolveURL
    }

    /// Renders each root's subtree in order.
    mutating func render(_ roots: [Int]) -> [ContentBlock] {
        for (k, r) in roots.enumerated() {
            rootOrdinal = k
            render(root: r)
        }
        flush()
        return blocks
    }

    private mutating func render(root: Int) {
        let rootNode = scan.nodes[root]
        var n = rootNode
        outer: while true {
            if n.isElement {
                if let i = scan.index(of: n), !filter.isRemoved(i) || i == root, enter(n, i) {
                    if let c = n.firstChild { n = c; continue }
                    exit(i)
                }
            } else if n.isText, let bytes = n.contentBytes {
                buffer.appendText(bytes, escape: codeDepth == 0)
            }
            while true {
                if n == rootNode { return }
                if let s = n.next { n = s; continue outer }
                guard let p = n.anyParent else { return }
                n = p
                if let i = scan.index(of: n) { exit(i) }
                if n == rootNode { return }
            }
        }
    }

    // MARK: - Elements

    /// Handles an opening tag; returns false when the element's children must not be visited.
    private mutating func enter(_ n: Node, _ i: Int) -> Bool {
        guard enterTag(n, i) else { return false }
        if isClassCaption(i) {
            flush()
            captionDepth += 1
        }
        return true
    }

    /// A block that is a caption by its class rather than its tag.
    private func isClassCaption(_ i: Int) -> Bool {
        let tag = scan.tags[i]
        return scan.flags[i].contains(.caption) && tag != .figcaption && tag != .caption
    }

    private mutating func enterTag(_ n: Node, _ i: Int) -> Bool {
        let tag = scan.tags[i]
        switch tag {
        case .br:
            buffer.lineBreak()
            if buffer.endsWithBlankLine { flush() }
            return false
        case .hr:
            flush()
            return false
        case .img:
            image(n)
            return false
        case .a:
            if options.keepLinks, codeDepth == 0, let href = n.attribute("href"), let url = resolveURL(href) {
                openSpan(i, "[", "](\(url))")
            }
        case .em, .i, .cite:
            openSpan(i, "*", "*")
        case .strong, .b:
            openSpan(i, "**", "**")
        case .code, .kbd, .samp, .tt:
            if preDepth == 0 { openSpan(i, "`", "`") }
            codeDepth += 1
        case .h1, .h2, .h3, .h4, .h5, .h6:
            flush()
            headingLevel = Int(tag.rawValue - Tag.h1.rawValue) + 1
        case .ul, .ol, .menu:
            flush()
            lists.append((tag == .ol, 0))
        case .li:
            flush()
            var number: Int?
            if let last = lists.last, last.ordered {
                lists[lists.count - 1].counter += 1
                number = lists[lists.count - 1].counter
            }
            items.append((max(0, lists.count - 1), number))
        case .blockquote:
            flush()
            quoteDepth += 1
        case .pre:
            flush()
            preDepth += 1
            codeDepth += 1
            buffer.preformatted = true
            preLanguage = language(of: n)
        case .table:
            flush()
            if !options.keepTables && isDataTable(i) { return false }
            tables.append(isDataTable(i))
        case .tr where tables.last == true:
            flush()
            row = []
            rowIsHeader = true
        case .td, .th:
            if tables.last == true, row != nil {
                if tag == .td { rowIsHeader = false }
                flush()
            } else {
                flush()
            }
        case .figcaption, .caption:
            flush()
            captionDepth += 1
        default:
            if tag.isBlock || scan.flags[i].contains(.blockChild) { flush() }
        }
        return true
    }

    /// Handles a closing tag.
    private mutating func exit(_ i: Int) {
        let tag = scan.tags[i]
        defer {
            if isClassCaption(i) {
                flush()
                captionDepth -= 1
            }
        }
        if let last = spans.last, last.index == i {
            spans.removeLast()
            buffer.closeMarker(at: last.start, opener: last.opener, suffix: last.closer)
        }
        switch tag {
        case .code, .kbd, .samp, .tt:
            codeDepth -= 1
        case .h1, .h2, .h3, .h4, .h5, .h6:
            flush()
            headingLevel = nil
        case .ul, .ol, .menu:
            flush()
            if !lists.isEmpty { lists.removeLast() }
        case .li:
            flush()
            if !items.isEmpty { items.removeLast() }
        case .blockquote:
            flush()
            quoteDepth -= 1
        case .pre:
            flush()
            preDepth -= 1
            codeDepth -= 1
            buffer.preformatted = preDepth > 0
            preLanguage = nil
        case .table:
            flush()
            if !tables.isEmpty { tables.removeLast() }
        case .tr where tables.last == true:
            if let cells = row, cells.contains(where: { !$0.isEmpty }) {
                blocks.append(ContentBlock(kind: .tableRow(header: rowIsHeader), text: cells.joined(separator: " | "),
                                           markdown: rowMarkdown.joined(separator: " | "), cells: cells))
            }
            row = nil
            rowMarkdown = []
        case .td, .th:
            if tables.last == true, row != nil {
                let cell = buffer.take()
                row?.append(cell.text)
                rowMarkdown.append(cell.markdown.replacingOccurrences(of: "|", with: "\\|"))
            } else {
                flush()
            }
        case .figcaption, .caption:
            flush()
            captionDepth -= 1
        default:
            if tag.isBlock || scan.flags[i].contains(.blockChild) { flush() }
        }
    }

    private mutating func openSpan(_ i: Int, _ opener: String, _ closer: String) {
        let start = buffer.openMarker(opener)
        spans.append((i, start, opener, closer))
    }

    // MARK: - Blocks

    /// Ends the current block, if it has text, and records it with the kind its context gives.
    private mutating func flush() {
        if row != nil && tables.last == true { return }  // cells collect until the row ends
        // Spans left open across a block boundary are closed in this block.
        while let last = spans.last {
            spans.removeLast()
            buffer.closeMarker(at: last.start, opener: last.opener, suffix: last.closer)
        }
        guard !buffer.isEmpty else { return }
        let (text, markdown) = buffer.take()
        guard !text.isEmpty else { return }
        let kind: ContentBlock.Kind
        if preDepth > 0 {
            kind = .code(language: preLanguage)
        } else if let level = headingLevel {
            kind = .heading(level: level)
        } else if captionDepth > 0 {
            kind = .caption
        } else if let item = items.last {
            kind = .listItem(depth: item.depth, number: item.number)
        } else if quoteDepth > 0 {
            kind = .quote
        } else {
            kind = .paragraph
        }
        if case .code = kind {} else if FurnitureLine.matches(text) { return }
        // A paragraph repeated by another part of the page (a lead shown again as the first
        // paragraph) or a repeated caption is kept once; a text the article itself repeats stays.
        if text.utf8.count >= 40 {
            if let first = seen[text], first != rootOrdinal || kind == .caption { return }
            if seen[text] == nil { seen[text] = rootOrdinal }
        }
        blocks.append(ContentBlock(kind: kind, text: text, markdown: markdown))
    }

    private mutating func image(_ n: Node) {
        guard options.keepImages, buffer.isEmpty, row == nil else { return }
        let candidates = ["src", "data-src", "data-lazy-src", "data-original"]
        var src: String?
        for attr in candidates {
            if let v = n.attribute(attr), !v.isEmpty, !v.hasPrefix("data:") { src = v; break }
        }
        guard let raw = src, let url = resolveURL(raw) else { return }
        let alt = n.attribute("alt") ?? ""
        blocks.append(ContentBlock(kind: .image(src: url, alt: alt), text: "", markdown: ""))
    }

    private func language(of n: Node) -> String? {
        var classes = n.attribute("class") ?? ""
        if let code = n.firstChild, code.tag == .code { classes += " " + (code.attribute("class") ?? "") }
        for token in classes.split(separator: " ") {
            for prefix in ["language-", "lang-"] where token.hasPrefix(prefix) {
                return String(token.dropFirst(prefix.count))
            }
        }
        return nil
    }

    /// A table of data (rendered as rows), not a layout table holding blocks or other tables.
    private func isDataTable(_ t: Int) -> Bool {
        var rows = 0
        for j in (t + 1)..<Int(scan.end[t]) {
            switch scan.tags[j] {
            case .table: return false
            case .tr: rows += 1
            case .td, .th: if scan.flags[j].contains(.blockChild) && scan.paraText[j] > 300 { return false }
            default: break
            }
        }
        return rows >= 2
    }
}

/// Short lines that are furniture wherever they stand ("Advertisement", "Photo: Reuters", "Posted by …").
enum FurnitureLine {
    static let exact: Set<String> = Set(BoilerplatePatterns.furnitureLines.map { TextKey.make($0) })
    static let starts: [String] = BoilerplatePatterns.furnitureLineStarts.map { TextKey.make($0) + " " }

    static func matches(_ text: String) -> Bool {
        guard text.utf8.count <= 80 else { return false }
        if text.hasPrefix("©") { return true }
        let key = TextKey.make(text)
        if exact.contains(key) { return true }
        let spaced = key + " "
        if starts.contains(where: { spaced.hasPrefix($0) }) { return true }
        let words = key.split(separator: " ")
        return isByline(words, text: text) || isDateLine(words)
    }

    /// "By Jane Doe and John Roe": a byline word, then a few name words, no sentence end.
    static func isByline(_ words: [Substring], text: String) -> Bool {
        guard let first = words.first, words.count >= 2, words.count <= 9, text.utf8.count <= 70 else { return false }
        return BoilerplatePatterns.bylineWords.contains(String(first)) && !text.hasSuffix(".")
    }

    /// A line made only of date and time words and numbers, with at least one number.
    static func isDateLine(_ words: [Substring]) -> Bool {
        guard !words.isEmpty, words.count <= 12 else { return false }
        var numbers = 0
        for w in words {
            if w.allSatisfy(\.isNumber) { numbers += 1; continue }
            if !BoilerplatePatterns.dateLineWords.contains(String(w)) { return false }
        }
        return numbers >= 1
    }
}
