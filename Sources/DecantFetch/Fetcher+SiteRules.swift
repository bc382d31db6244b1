import DecantCore

extension Fetcher {
    /// The request headers a site rule adds to page requests of its host: `User-Agent` (replacing
    /// `fetch.userAgent`) and `Cookie`. libcurl drops a custom `Cookie` on a redirect to another host.
    static func siteHeaders(_ rule: SiteRule?) -> [String] {
        guard let rule else { return [] }
        var headers: [String] = []
        if let userAgent = rule.userAgent { headers.append("User-Agent: \(userAgent)") }
        if let cookie = rule.cookieHeader { headers.append("Cookie: \(cookie)") }
        return headers
    }
}
