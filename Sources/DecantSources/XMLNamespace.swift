/// The namespace URIs the source readers match elements by (never by prefix).
enum XMLNamespace {
    static let xml = "http://www.w3.org/XML/1998/namespace"
    static let atom = "http://www.w3.org/2005/Atom"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss1 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let xhtml = "http://www.w3.org/1999/xhtml"
    /// The sitemap protocol's namespace, Google's two older ones, and none (sloppy generators).
    static let sitemaps: [String?] = [
        "http://www.sitemaps.org/schemas/sitemap/0.9",
        "http://www.google.com/schemas/sitemap/0.9",
        "http://www.google.com/schemas/sitemap/0.84",
        nil,
    ]
}
