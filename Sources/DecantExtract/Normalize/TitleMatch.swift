/// How a heading is compared with the page's title, on `TextKey` keys: the one title comparison.
enum TitleMatch {
    /// The same key (the renderer's "the body already starts with the title").
    case same
    /// The same, or the title starts with a heading of 15 characters or more ("Heading | Site").
    case titleStartsWithHeading
    /// Both non-empty, and equal or one contains the other at half its length or more ("Title - Site").
    case oneContainsTheOther

    /// True when `heading` matches `title` (both `TextKey` keys) under this rule.
    func matches(_ heading: String, _ title: String) -> Bool {
        switch self {
        case .same:
            return heading == title
        case .titleStartsWithHeading:
            return heading == title || (heading.count >= 15 && title.hasPrefix(heading + " "))
        case .oneContainsTheOther:
            if heading.isEmpty || title.isEmpty { return false }
            if heading == title { return true }
            let (short, long) = heading.count <= title.count ? (heading, title) : (title, heading)
            return short.count * 2 >= long.count && long.contains(short)
        }
    }
}
