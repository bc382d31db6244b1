/// One date a page states, with what it claims to be and where it was found.
struct DateCandidate: Sendable, Equatable {
    var date: PageDate
    var role: DateRole
    var source: DateSource
    /// A meta name's rank in `DateSourceTable` (0 for other sources).
    var rank = 0

    /// Stated by a specific source: not a generic meta name such as `date` or `pubdate`.
    var isSpecific: Bool { source != .meta || rank < DateSourceTable.genericPublishedRank }
}

/// What a date is the date of.
enum DateRole: Sendable, Equatable {
    /// First publication (`datePublished`, "Published", `article:published_time`).
    case published
    /// The last change (`dateModified`, "Updated", `og:updated_time`).
    case modified
    /// Unmarked: a `<time>`, a date in the byline or the URL. Read as the publication date.
    case unknown
}

/// Where a date comes from, most trusted first.
enum DateSource: Int, Sendable, Comparable {
    case jsonLD, meta, microdata, timeElement, script, url, text, attribute

    static func < (a: DateSource, b: DateSource) -> Bool { a.rawValue < b.rawValue }
}
