import DecantCore
import DecantExtract
/// Turns a fetched page into an article; `Extractor` is the real one, tests use stand-ins.
public protocol PageExtracting: Sendable {
    func extract(page: FetchedPage) throws(ExtractError) -> Article
}

extension Extractor: PageExtracting {}
