/// What the page says about itself (JSON-LD, OpenGraph, meta tags, `<time>`, bylines, `<title>`),
/// read before cleaning; the most trusted source wins for each field.
public struct PageMetadata: Sendable, Equatable {
    public var title: String?
    /// The title is the page's declared one (JSON-LD, Dublin Core, OpenGraph, Twitter, citation):
    /// kept as written. Otherwise it is the `<title>` element or the `<h1>`, cleaned of site names.
    public var titleIsDeclared = false
    /// Author names, in the page's order.
    public var authors: [String] = []
    /// The authors joined by ", ".
    public var author: String? { authors.isEmpty ? nil : authors.joined(separator: ", ") }
    /// ISO 8601: the page's own local date, with time and offset only when it states both.
    public var published: String?
    public var modified: String?
    public var siteName: String?
    public var description: String?
    public var language: String?
    public var image: String?
    public var tags: [String] = []
    public var canonicalURL: String?
    /// `<base href>` resolved against the page URL, for resolving relative links.
    public var baseURL: String?
    /// The text of JSON-LD `articleBody`, when the page carries one: the article when the HTML yields
    /// little text (`EmbeddedArticle`); the cleaner does not read it.
    public var articleBody: String?
    /// The last `<title>` directly inside `<head>`, as written: what the cleaner matches headings
    /// against when it drops the article's own title from the body.
    public var documentTitle: String?
    /// The text of the page's main `<h1>`, for cleaning the title.
    public var h1: String?

    public init() {}
}
