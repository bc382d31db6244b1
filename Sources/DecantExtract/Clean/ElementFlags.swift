import DecantHTML
/// Facts about one element gathered by `DocumentScan`.
struct ElementFlags: OptionSet {
    let rawValue: UInt32

    /// Never content: scripts, styles, forms controls, hidden elements, dialogs.
    static let skip = ElementFlags(rawValue: 1 << 0)
    /// Furniture by tag, role or class/id (navigation, ads, sharing, comments, related, ...).
    static let drop = ElementFlags(rawValue: 1 << 1)
    /// Furniture when small (bylines, date lines, labels).
    static let dropIfSmall = ElementFlags(rawValue: 1 << 2)
    /// Class/id, itemprop or tag hint at the article body.
    static let positive = ElementFlags(rawValue: 1 << 3)
    /// Some ancestor (or the element itself) is `drop`.
    static let inDrop = ElementFlags(rawValue: 1 << 4)
    /// Has a block-level child element.
    static let blockChild = ElementFlags(rawValue: 1 << 5)
    /// Scored as a paragraph (p, pre, td, or a block with text but no block children).
    static let paragraph = ElementFlags(rawValue: 1 << 6)
    /// The element is a structural furniture tag (nav, aside, footer, header, menu).
    static let furnitureTag = ElementFlags(rawValue: 1 << 7)
    /// A strong article mark: `itemprop=articleBody`, an `<article>` element, or a class such as
    /// `article-body`, `entry-content`, `post-content`.
    static let articleBody = ElementFlags(rawValue: 1 << 9)
    /// Inside a listing (an element with three or more `<article>` children).
    static let inListing = ElementFlags(rawValue: 1 << 10)
    /// Marked `drop` as an ad or promotion slot.
    static let adSlot = ElementFlags(rawValue: 1 << 11)
    /// A caption or legend by its class (rendered as a caption, outside the plain text).
    static let caption = ElementFlags(rawValue: 1 << 12)
    /// A lead or intro by its class.
    static let lead = ElementFlags(rawValue: 1 << 13)
    /// Some descendant is `positive`.
    static let containsPositive = ElementFlags(rawValue: 1 << 8)
    /// A run of four or more alike teaser cards (same tag and class, each a linked headline with a
    /// little text) makes up most of the element: a feed of other stories, not an article.
    static let listing = ElementFlags(rawValue: 1 << 14)
    /// Hidden by `hidden`, `aria-hidden` or an inline style: furniture unless it holds real paragraphs
    /// (the rest of an article behind a "Read more" button).
    static let hidden = ElementFlags(rawValue: 1 << 15)

    /// Is or holds a heading that is mostly a link (a teaser's headline).
    static let linkedHeading = ElementFlags(rawValue: 1 << 21)
    /// Hidden or furniture-classed, but revealed by a "Read more" control: the rest of the article.
    static let revealed = ElementFlags(rawValue: 1 << 22)
}

extension Tag {
    /// Elements whose subtree is never article content.
    static let skipped: [Bool] = table([
        .script, .style, .noscript, .template, .iframe, .frame, .frameset, .object, .embed, .applet, .canvas,
        .svg, .math, .input, .button, .select, .option, .optgroup, .textarea, .datalist, .output, .video,
        .audio, .track, .map, .area, .param, .title, .meta, .link, .base, .dialog, .rt, .rp,
    ])

    /// Elements that start a new block (line) when rendered.
    static let blockLevel: [Bool] = table([
        .p, .div, .section, .article, .main, .aside, .nav, .header, .footer, .address, .hgroup,
        .h1, .h2, .h3, .h4, .h5, .h6, .ul, .ol, .li, .dl, .dt, .dd, .blockquote, .pre, .hr, .center,
        .table, .thead, .tbody, .tfoot, .tr, .td, .th, .caption, .figure, .figcaption, .details, .summary,
        .menu, .fieldset, .legend, .form, .body, .html,
    ])

    /// Structural furniture elements.
    static let furniture: [Bool] = table([.nav, .aside, .footer, .header, .menu])

    private static func table(_ tags: [Tag]) -> [Bool] {
        var t = [Bool](repeating: false, count: Tag.allCases.count)
        for tag in tags { t[Int(tag.rawValue)] = true }
        return t
    }

    /// Elements whose inline children are part of their own paragraph.
    static let paragraphContainers: [Bool] = table([.p, .pre, .td, .th, .dd, .dt, .li, .h1, .h2, .h3, .h4, .h5, .h6,
                                                    .blockquote, .figcaption, .caption, .a])

    @inline(__always) var isParagraphContainer: Bool { Tag.paragraphContainers[Int(rawValue)] }
    @inline(__always) var isSkipped: Bool { Tag.skipped[Int(rawValue)] }
    @inline(__always) var isBlock: Bool { Tag.blockLevel[Int(rawValue)] }
    @inline(__always) var isFurniture: Bool { Tag.furniture[Int(rawValue)] }
}
