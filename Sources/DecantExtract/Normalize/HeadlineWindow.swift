import DecantHTML
/// The visible text right after the page's headline (where bylines and date lines sit) and
/// just before it (kickers, datelines above the title): two short, bounded walks from the `<h1>`.
///
/// The text keeps its blocks apart (`chunks`), so that a date standing alone in a short line can
/// be told from a date inside a sentence or a caption.
struct HeadlineWindow {
    /// Text nodes joined by spaces.
    var text: String
    /// The byte range of each block's text in `text`, in order.
    var chunks: [Range<Int>]

    /// Bytes and text nodes read after the headline.
    static let afterBytes = 1200, afterNodes = 60
    /// Bytes and text nodes read before it.
    static let beforeBytes = 300, beforeNodes = 15
    /// A block this short is a line of its own (a byline, a date line).
    static let shortLine = 80

    /// The text after `h1` (not inside it).
    static func after(_ h1: Node) -> HeadlineWindow {
        var nodes: [Node] = []
        var bytes = 0
        let root = h1.root
        var cur = h1.nextInPreorder(within: root)
        while let n = cur, bytes < afterBytes, nodes.count < afterNodes {
            if n.isText {
                let count = visibleCount(n)
                if count > 0 { nodes.append(n); bytes += count }
            } else if n.isElement, !skipped(n.tag), let child = n.firstChild {
                cur = child
                continue
            }
            cur = n.nextInPreorder(within: root)
        }
        return HeadlineWindow(nodes)
    }

    /// The text before `h1`, in document order.
    static func before(_ h1: Node) -> HeadlineWindow {
        var nodes: [Node] = []
        var bytes = 0
        var cur = previous(h1)
        while let n = cur, bytes < beforeBytes, nodes.count < beforeNodes {
            if n.isText, !(n.parent.map { skipped($0.tag) } ?? false) {
                let count = visibleCount(n)
                if count > 0 { nodes.append(n); bytes += count }
            }
            cur = previous(n)
        }
        return HeadlineWindow(nodes.reversed())
    }

    /// Joins the nodes' texts (whitespace folded), a new chunk wherever the block changes.
    private init(_ nodes: [Node]) {
        var out: [UInt8] = []
        var chunks: [Range<Int>] = []
        var block: Node?
        var start = 0
        for n in nodes {
            let b = Self.block(of: n)
            if b != block, out.count > start {
                chunks.append(start..<out.count)
                start = out.count
            }
            block = b
            Self.append(n, to: &out)
        }
        if out.count > start { chunks.append(start..<out.count) }
        text = String(decoding: out, as: UTF8.self)
        self.chunks = chunks
    }

    /// Whether the date at `range` stands out: in a short block, or at the start of its block.
    func standsAlone(_ range: Range<Int>) -> Bool {
        guard let chunk = chunks.first(where: { $0.contains(range.lowerBound) }) else { return false }
        return chunk.count <= Self.shortLine || range.lowerBound - chunk.lowerBound <= 24
    }

    /// Appends a text node's content (whitespace runs folded) and a space.
    private static func append(_ n: Node, to out: inout [UInt8]) {
        guard let c = n.contentBytes else { return }
        var k = 0, wrote = false, space = false
        while c[k] != 0, k < 2000 {
            let b = c[k]
            if b == 32 || b == 9 || b == 10 || b == 13 {
                space = wrote
            } else {
                if space { out.append(32); space = false }
                out.append(b)
                wrote = true
            }
            k += 1
        }
        if wrote { out.append(32) }
    }

    /// Non-blank bytes of a text node (at most 2000 looked at).
    private static func visibleCount(_ n: Node) -> Int {
        guard let c = n.contentBytes else { return 0 }
        var k = 0, count = 0
        while c[k] != 0, k < 2000 {
            if c[k] > 32 { count += 1 }
            k += 1
        }
        return count
    }

    /// The nearest block-level ancestor (at most 12 levels up).
    private static func block(of n: Node) -> Node? {
        var p = n.parent
        var depth = 0
        while let e = p, depth < 12 {
            switch e.tag {
            case .p, .div, .li, .dd, .dt, .h1, .h2, .h3, .h4, .h5, .h6, .td, .th, .header, .footer, .section,
                 .article, .aside, .blockquote, .figcaption, .figure, .address, .main, .nav, .ul, .ol, .table,
                 .tr, .body, .form, .pre, .center, .caption, .dl, .details, .summary:
                return e
            default:
                p = e.parent
                depth += 1
            }
        }
        return p
    }

    /// The node before `n` in document order: the previous sibling's last descendant, or the parent.
    private static func previous(_ n: Node) -> Node? {
        if var p = n.previous {
            while p.isElement, !skipped(p.tag), let last = p.lastChild { p = last }
            return p
        }
        return n.parent
    }

    private static func skipped(_ tag: Tag) -> Bool {
        switch tag {
        case .script, .style, .noscript, .svg, .template, .iframe, .math, .head, .title: return true
        default: return false
        }
    }
}

extension Node {
    /// The topmost element above this node (the `<html>` element).
    var root: Node {
        var n = self
        while let p = n.parent { n = p }
        return n
    }
}
