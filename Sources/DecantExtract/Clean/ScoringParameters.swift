/// The cleaner's thresholds and weights in one value; `.standard` holds the tuned defaults.
///
/// Lengths count non-space characters; a "factor" `k` reads as "a × k compared with b" in whole numbers.
package struct ScoringParameters: Sendable, Equatable {
    // MARK: DocumentScan: paragraphs, captions, listings

    /// Characters a block needs to count as a paragraph (or an anonymous run of text).
    package var minParagraphText: Int32 = 25
    /// Link density below which a paragraph's text counts as paragraph text and scores.
    package var maxParagraphLinkDensity: Float = 0.5
    /// An anonymous run counts when its link text × this factor stays below its text.
    package var ownRunLinkFactor: Int32 = 2
    /// The most text a caption-classed block may hold and stay a caption.
    package var maxCaptionText: Int32 = 400
    /// Paragraphs that make a caption-classed block no caption.
    package var maxCaptionParagraphs: Int32 = 2
    /// A heading is linked when its link text × this factor reaches its text.
    package var linkedHeadingFactor: Int32 = 2
    /// Teaser cards in a row that make an element a listing.
    package var minListingRun: Int32 = 4
    /// A run of teaser cards makes a listing when its text × this factor reaches the element's.
    package var listingRunTextFactor: Int32 = 2
    /// `<article>` children that make an element a listing.
    package var minListingArticles: Int32 = 3
    /// A teaser card's link text × this factor reaches its text.
    package var teaserLinkFactor: Int32 = 10
    /// The most text a teaser card holds.
    package var maxTeaserText: Int32 = 600

    // MARK: DocumentScan: lifting furniture marks

    /// Paragraph text a furniture-marked element needs before its share of the page can lift the mark.
    package var liftMinText: Int32 = 400
    /// Share of the page's paragraph text that lifts a furniture mark.
    package var liftPageShare: Float = 0.85
    /// Share of the page's paragraph text in an article-marked descendant that lifts a furniture mark.
    package var liftArticleShare: Float = 0.4
    /// Paragraph text that lifts an ad-slot mark.
    package var adSlotLiftText: Int32 = 300
    /// Link density below which an ad slot or a "read more" box is lifted.
    package var liftMaxLinkDensity: Float = 0.25
    /// Paragraph text a "read more" box or a hidden block needs to be revealed.
    package var revealMinText: Int32 = 150
    /// Link density below which a hidden block is revealed.
    package var revealHiddenMaxLinkDensity: Float = 0.3
    /// First elements of a block looked at for a "read more" control.
    package var expanderLookahead: Int = 8
    /// The most text a "read more" control holds.
    package var maxExpanderText: Int32 = 40

    // MARK: DocumentScan: paragraph scores

    /// Characters per score point of a paragraph's length.
    package var scoreCharsPerPoint: Float = 100
    /// The most points a paragraph's length gives.
    package var maxLengthPoints: Float = 3
    /// Ancestors a paragraph's score reaches.
    package var scoreLevels: Int = 5

    // MARK: ContentScorer

    /// Top candidates kept.
    package var candidates: Int = 5
    /// Base score of div, article, main and section.
    package var sectionWeight: Float = 5
    /// Base score of pre, td and blockquote.
    package var preformattedWeight: Float = 3
    /// Base score of lists, list items, address and form.
    package var listWeight: Float = -3
    /// Base score of headings and table headers.
    package var headingWeight: Float = -5
    /// Score an article class hint adds to a block of `classHintFullText` characters or more.
    package var classHintWeight: Float = 25
    /// Paragraph text at which a class hint counts fully.
    package var classHintFullText: Float = 600
    /// Score a "drop if small" mark takes off.
    package var dropIfSmallPenalty: Float = 10
    /// Score factor of a listing or a teaser in one.
    package var listingScoreFactor: Float = 0.3
    /// Share of the best score another candidate needs to count as strong.
    package var sharedAncestorShare: Float = 0.75
    /// Strong candidates sharing an ancestor that make it the content.
    package var sharedAncestorCount: Int = 3
    /// A parent scoring below the start's score divided by this stops the climb.
    package var parentClimbDivisor: Float = 3
    /// Levels an enclosing article mark is looked for.
    package var articleSearchDepth: Int = 6
    /// An article mark is used when its text ≤ factor × the start's text + slack.
    package var articleGrowthFactor: Float = 2
    package var articleGrowthSlack: Float = 300
    /// Link density below which an enclosing article mark is used.
    package var articleMaxLinkDensity: Float = 0.35
    /// Extra article text a parent must add (at least) to be climbed to.
    package var spreadMinExtra: Float = 300
    /// Extra article text a parent must add, as a share of the element's.
    package var spreadExtraShare: Float = 0.5
    /// Link density below which a parent may be climbed to.
    package var spreadMaxLinkDensity: Float = 0.25
    /// Share of a parent's readable text that must be paragraph text for the climb.
    package var spreadParagraphShare: Float = 0.6
    /// Least sibling score, and its share of the best score, for a sibling to join.
    package var siblingMinScore: Float = 10
    package var siblingScoreShare: Float = 0.2
    /// Share of the best score a sibling with the same class gets as a bonus.
    package var siblingClassBonus: Float = 0.2
    /// Paragraph text and link density under which a sibling inside an article joins.
    package var articleSiblingText: Int32 = 80
    package var articleSiblingMaxLinkDensity: Float = 0.3
    /// Length above which a sibling paragraph joins when not link-heavy.
    package var siblingParagraphText: Int32 = 80
    package var siblingParagraphMaxLinkDensity: Float = 0.25
    /// Share of the top score a split part's score must reach; its least text and highest link density.
    package var splitPartScoreShare: Float = 0.15
    package var splitPartMinText: Int32 = 100
    package var splitPartMaxLinkDensity: Float = 0.25
    /// Elements looked back from the content for a lead or a headline.
    package var leadWindow: Int = 400
    /// Length range and link density of a lead.
    package var leadMinText: Int32 = 40
    package var leadMaxText: Int32 = 1500
    package var leadMaxLinkDensity: Float = 0.3
    /// Levels above the content's first element a lead's common ancestor may be.
    package var leadAncestorLevels: Int = 4
    /// Length range and link density of a standfirst.
    package var standfirstMinText: Int32 = 40
    package var standfirstMaxText: Int32 = 500
    package var standfirstMaxLinkDensity: Float = 0.1

    // MARK: BlockFilter

    /// Text below which a block of an article's header is dropped.
    package var headerMinText: Int32 = 100
    /// A listing inside the content is furniture when its text × this factor stays below the content's.
    package var listingFurnitureFactor: Int32 = 2
    /// A "drop if small" block is furniture below this much text.
    package var smallBlockText: Int32 = 300
    /// A block with text × this factor reaching the content's is the article.
    package var majorityFactor: Int32 = 2
    /// Commas that make a block prose, not furniture.
    package var proseCommas: Int32 = 10
    /// Link density above which a container is furniture (article-marked, other).
    package var positiveMaxLinkDensity: Float = 0.5
    package var containerMaxLinkDensity: Float = 0.33
    /// Text of a layout cell judged by its links, and the link density that drops it.
    package var cellMinText: Int32 = 20
    package var cellMaxLinkDensity: Float = 0.5
    /// Link density above which a short paragraph (below `linkParagraphText`) is furniture.
    package var paragraphMaxLinkDensity: Float = 0.8
    package var linkParagraphText: Int32 = 150
    /// The most text of a standalone block read as a heading.
    package var pseudoHeadingText: Int32 = 40
    /// The most text of a furniture heading ("Related articles").
    package var furnitureHeadingText: Int32 = 100
    /// Share of the content's paragraph text a furniture heading's container stays below.
    package var headingBlockShare: Float = 0.3

    // MARK: Cleaner

    /// Text (UTF-8 bytes) an attempt must reach to be accepted without trying weaker rules.
    package var enoughText: Int = 100

    /// The tuned defaults.
    package static let standard = ScoringParameters()
}

extension ScoringParameters {
    /// A parameter addressed by name (for sweeps).
    package enum Field: Sendable {
        case integer(WritableKeyPath<ScoringParameters, Int> & Sendable)
        case count(WritableKeyPath<ScoringParameters, Int32> & Sendable)
        case real(WritableKeyPath<ScoringParameters, Float> & Sendable)
    }

    /// Every parameter by its property name.
    package static let fields: [String: Field] = [
        "minParagraphText": .count(\.minParagraphText),
        "maxParagraphLinkDensity": .real(\.maxParagraphLinkDensity),
        "ownRunLinkFactor": .count(\.ownRunLinkFactor),
        "maxCaptionText": .count(\.maxCaptionText),
        "maxCaptionParagraphs": .count(\.maxCaptionParagraphs),
        "linkedHeadingFactor": .count(\.linkedHeadingFactor),
        "minListingRun": .count(\.minListingRun),
        "listingRunTextFactor": .count(\.listingRunTextFactor),
        "minListingArticles": .count(\.minListingArticles),
        "teaserLinkFactor": .count(\.teaserLinkFactor),
        "maxTeaserText": .count(\.maxTeaserText),
        "liftMinText": .count(\.liftMinText),
        "liftPageShare": .real(\.liftPageShare),
        "liftArticleShare": .real(\.liftArticleShare),
        "adSlotLiftText": .count(\.adSlotLiftText),
        "liftMaxLinkDensity": .real(\.liftMaxLinkDensity),
        "revealMinText": .count(\.revealMinText),
        "revealHiddenMaxLinkDensity": .real(\.revealHiddenMaxLinkDensity),
        "expanderLookahead": .integer(\.expanderLookahead),
        "maxExpanderText": .count(\.maxExpanderText),
        "scoreCharsPerPoint": .real(\.scoreCharsPerPoint),
        "maxLengthPoints": .real(\.maxLengthPoints),
        "scoreLevels": .integer(\.scoreLevels),
        "candidates": .integer(\.candidates),
        "sectionWeight": .real(\.sectionWeight),
        "preformattedWeight": .real(\.preformattedWeight),
        "listWeight": .real(\.listWeight),
        "headingWeight": .real(\.headingWeight),
        "classHintWeight": .real(\.classHintWeight),
        "classHintFullText": .real(\.classHintFullText),
        "dropIfSmallPenalty": .real(\.dropIfSmallPenalty),
        "listingScoreFactor": .real(\.listingScoreFactor),
        "sharedAncestorShare": .real(\.sharedAncestorShare),
        "sharedAncestorCount": .integer(\.sharedAncestorCount),
        "parentClimbDivisor": .real(\.parentClimbDivisor),
        "articleSearchDepth": .integer(\.articleSearchDepth),
        "articleGrowthFactor": .real(\.articleGrowthFactor),
        "articleGrowthSlack": .real(\.articleGrowthSlack),
        "articleMaxLinkDensity": .real(\.articleMaxLinkDensity),
        "spreadMinExtra": .real(\.spreadMinExtra),
        "spreadExtraShare": .real(\.spreadExtraShare),
        "spreadMaxLinkDensity": .real(\.spreadMaxLinkDensity),
        "spreadParagraphShare": .real(\.spreadParagraphShare),
        "siblingMinScore": .real(\.siblingMinScore),
        "siblingScoreShare": .real(\.siblingScoreShare),
        "siblingClassBonus": .real(\.siblingClassBonus),
        "articleSiblingText": .count(\.articleSiblingText),
        "articleSiblingMaxLinkDensity": .real(\.articleSiblingMaxLinkDensity),
        "siblingParagraphText": .count(\.siblingParagraphText),
        "siblingParagraphMaxLinkDensity": .real(\.siblingParagraphMaxLinkDensity),
        "splitPartScoreShare": .real(\.splitPartScoreShare),
        "splitPartMinText": .count(\.splitPartMinText),
        "splitPartMaxLinkDensity": .real(\.splitPartMaxLinkDensity),
        "leadWindow": .integer(\.leadWindow),
        "leadMinText": .count(\.leadMinText),
        "leadMaxText": .count(\.leadMaxText),
        "leadMaxLinkDensity": .real(\.leadMaxLinkDensity),
        "leadAncestorLevels": .integer(\.leadAncestorLevels),
        "standfirstMinText": .count(\.standfirstMinText),
        "standfirstMaxText": .count(\.standfirstMaxText),
        "standfirstMaxLinkDensity": .real(\.standfirstMaxLinkDensity),
        "headerMinText": .count(\.headerMinText),
        "listingFurnitureFactor": .count(\.listingFurnitureFactor),
        "smallBlockText": .count(\.smallBlockText),
        "majorityFactor": .count(\.majorityFactor),
        "proseCommas": .count(\.proseCommas),
        "positiveMaxLinkDensity": .real(\.positiveMaxLinkDensity),
        "containerMaxLinkDensity": .real(\.containerMaxLinkDensity),
        "cellMinText": .count(\.cellMinText),
        "cellMaxLinkDensity": .real(\.cellMaxLinkDensity),
        "paragraphMaxLinkDensity": .real(\.paragraphMaxLinkDensity),
        "linkParagraphText": .count(\.linkParagraphText),
        "pseudoHeadingText": .count(\.pseudoHeadingText),
        "furnitureHeadingText": .count(\.furnitureHeadingText),
        "headingBlockShare": .real(\.headingBlockShare),
        "enoughText": .integer(\.enoughText),
    ]

    /// Sets parameter `name` to `value`; false when no parameter has that name, or an integer one gets a fraction.
    package mutating func set(_ name: String, to value: Double) -> Bool {
        switch Self.fields[name] {
        case .integer(let key)?:
            guard let v = Int(exactly: value) else { return false }
            self[keyPath: key] = v
        case .count(let key)?:
            guard let v = Int32(exactly: value) else { return false }
            self[keyPath: key] = v
        case .real(let key)?:
            self[keyPath: key] = Float(value)
        case nil:
            return false
        }
        return true
    }
}
