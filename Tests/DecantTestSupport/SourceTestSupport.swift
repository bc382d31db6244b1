import Foundation
import DecantSources
import DecantCore
import DecantExtract

/// Reads fixtures under `Tests/Fixtures/sources` as feeds and sitemaps.
package enum SourceFixture {
    package static func data(_ name: String) throws -> Data { try FixturePaths.data("sources/" + name) }

    package static func feed(_ name: String, contentType: String? = nil, url: String? = nil,
                     limits: SourceLimits = .standard) throws -> Feed? {
        guard case .feed(let feed) = try SourceDocument.read(data(name), contentType: contentType, url: url,
                                                             limits: limits) else { return nil }
        return feed
    }

    package static func sitemap(_ name: String, contentType: String? = nil, url: String? = nil,
                        limits: SourceLimits = .standard) throws -> Sitemap? {
        guard case .sitemap(let sitemap) = try SourceDocument.read(data(name), contentType: contentType, url: url,
                                                                   limits: limits) else { return nil }
        return sitemap
    }
}
