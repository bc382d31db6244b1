/// Where pages put their dates: meta names, JSON keys, class and attribute hints. Data only,
/// read by `DateFinder` and `DateSearch`; names are compared by `key(_:)` (case and separators ignored).
enum DateSourceTable {
    /// Meta `name`/`property`/`itemprop`/`http-equiv` values of publication dates, most trusted first.
    static let publishedMeta: [String] = [
        "article:published_time", "og:published_time", "og:article:published_time", "article:published",
        "article:published_date", "og:article:published", "article:publicationdate", "og:pubdate",
        "og:publish_date", "og:datepublished", "article:post_date", "itemprop:datepublished",
        "dc.date.issued", "dcterms.issued", "dc.issued", "dc.date.created", "dc.created", "dcterms.created",
        "dc.date.publication", "dc.date", "dcterms.date", "citation_publication_date", "citation_date",
        "citation_online_date", "prism.publicationdate", "prism.coverdate", "eprints.date",
        "parsely-pub-date", "sailthru.date", "sw-pubdate", "cxenseparse:recs:publishtime",
        "shareaholic:article_published_time", "twt-published-at", "vr:published_time", "mediator_published_time",
        "bt:pubdate", "rbpubdate", "dcsext.articlefirstpublished", "analyticsattributes.articledate",
        "article.published", "article.created", "article_date_original", "originalpublicationdate",
        // Generic names from here on (`genericPublishedRank`): often a site-wide or template value.
        "pubdate", "publishdate", "publish_date", "publication_date", "published_date", "published_time",
        "publish_time", "publishedtime", "datepublished", "date_published", "datecreated", "date_created",
        "dateposted", "content_create_date", "displaydate", "doc_date", "pdate", "ptime", "itemprop:datecreated",
        "itemprop:uploaddate", "uploaddate", "video:release_date", "release_date", "date", "http-equiv:date",
        "created", "timestamp",
    ]

    /// The rank of the first generic publication name ("pubdate", "date", "created", …).
    static let genericPublishedRank = publishedMeta.firstIndex(of: "pubdate")!

    /// Meta values of the last change, most trusted first.
    static let modifiedMeta: [String] = [
        "article:modified_time", "og:updated_time", "og:modified_time", "og:article:modified_time",
        "article:modified", "article:modified_date", "article:updated_time", "article:post_modified",
        "itemprop:datemodified", "itemprop:dateupdate", "dcterms.modified", "dc.modified", "dc.date.modified",
        "dateupdate", "datemodified", "date_modified", "modified_time", "updated_time", "last-modified",
        "lastmodified", "lastmod", "modificationdate", "revision_date", "bt:moddate", "sailthru.lastmodified",
        "parsely-updated", "eomportal-lastupdate", "utime", "modified", "lastdate", "http-equiv:last-modified",
    ]

    /// JSON keys (in any script, and in JSON-LD that does not parse) of publication dates.
    static let publishedJSONKeys: [String] = [
        "datepublished", "datecreated", "uploaddate", "publishdate", "publisheddate", "publishedat", "pubdate",
        "publicationdate", "firstpublished", "firstpublishedat", "firstpublisheddate", "publishedtime",
        "displaydate", "createdate", "releasedate",
    ]

    /// JSON keys of the last change.
    static let modifiedJSONKeys: [String] = [
        "datemodified", "dateupdated", "modifieddate", "updatedat", "lastmodified", "lastupdated",
        "lastpublished", "lastpublishedat", "updatedtime", "modifiedtime",
    ]

    /// Substrings of class/id values that mark an element holding a date or a byline.
    static let hintTokens: [String] = [
        "date", "datum", "time", "publish", "posted", "byline", "dateline", "fecha", "parution", "submitted",
        "created", "meta", "author", "autor", "subline", "fa-clock", "fa-calendar", "info",
    ]

    /// Substrings of class/id values (or attribute names) that say the date is an update.
    static let modifiedHints: [String] = ["updat", "modif", "aktualis", "actualiz", "aggiorn", "atualiz", "revis"]

    /// Substrings that say the date is the original publication.
    static let publishedHints: [String] = ["publish", "posted", "pubdate", "created", "entry-date", "original"]

    /// Attributes whose value may be a date (besides `data-*` names containing "date" or "time").
    static let dateAttributes: Set<String> = ["datetime", "data-utime", "data-timestamp", "data-time", "data-date"]

    static let hintNeedles = ByteMatch.Needles(hintTokens)
    static let modifiedNeedles = ByteMatch.Needles(modifiedHints)
    static let publishedNeedles = ByteMatch.Needles(publishedHints)
    static let attributeNeedles = ByteMatch.Needles(["date", "time", "publish"])

    /// What a class, id or attribute name says about a date: nil when it names no date or byline.
    static func hintRole(_ bytes: UnsafeBufferPointer<UInt8>) -> DateRole? {
        guard hintNeedles.occur(in: bytes) else { return nil }
        if modifiedNeedles.occur(in: bytes) { return .modified }
        return publishedNeedles.occur(in: bytes) ? .published : .unknown
    }

    /// The role a class value (or attribute name) gives a date it marks, without requiring a hint token.
    static func markedRole(_ s: String) -> DateRole {
        if modifiedNeedles.occur(in: s) { return .modified }
        return publishedNeedles.occur(in: s) ? .published : .unknown
    }

    /// `name` without case and separators: `DC:date`, `dc.date` and `DC_Date` are one key.
    static func key(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "-"), 32, 9, 10, 13: continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b | 0x20)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Rank (0 = most trusted) and role of every meta key.
    static let metaRanks: [String: (rank: Int, role: DateRole)] = {
        var map: [String: (Int, DateRole)] = [:]
        for (k, name) in publishedMeta.enumerated() where map[key(name)] == nil { map[key(name)] = (k, .published) }
        for (k, name) in modifiedMeta.enumerated() where map[key(name)] == nil { map[key(name)] = (k, .modified) }
        return map
    }()

    static let jsonKeyRoles: [String: DateRole] = {
        var map: [String: DateRole] = [:]
        for k in publishedJSONKeys { map[key(k)] = .published }
        for k in modifiedJSONKeys { map[key(k)] = .modified }
        return map
    }()
}
