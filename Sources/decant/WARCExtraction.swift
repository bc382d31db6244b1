import Foundation
import DecantArchive
import DecantCore
import DecantExtract

/// Extracts the HTML `response` records of WARC files into `<id>.json` articles in a folder, reading
/// each file once in bounded memory; other records are counted and skipped, with a summary on stderr.
struct WARCExtraction {
    var extractor: Extractor
    var outputFolder: String
    var jobs: Int
    /// Where to start reading the single input (a gzip member's offset, as Common Crawl's index gives it).
    var offset: Int?

    /// What a run did with the records it read.
    struct Summary: Sendable, Equatable {
        var files = 0
        var records = 0
        /// HTML `response` records with a 2xx status.
        var html = 0
        var articles = 0
        /// HTML pages in which the cleaner found no article.
        var noArticle = 0
        /// `response` records whose body is not HTML.
        var nonHTML = 0
        /// HTML responses with a status outside 2xx (redirects, errors).
        var otherStatus = 0
        /// Records that are not responses (`request`, `warcinfo`, `metadata`, `revisit`, ...).
        var otherRecords = 0
        /// Records or HTTP messages that could not be read.
        var malformed = 0
        /// Responses for a URL already extracted in this run.
        var duplicates = 0
        /// Articles that could not be written.
        var failed = 0
    }

    /// The outcome of one response record.
    private enum Outcome: Sendable {
        case article, noArticle, nonHTML, otherStatus, duplicate
        case malformed(String)
        case failed(String)
    }

    /// True for the names `decant extract` hands to this runner.
    static func isWARC(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz")
    }

    /// Reads every input in turn and writes its articles; throws `pageFailed` when an article could not be written.
    @discardableResult
    func run(inputs: [String]) async throws -> Summary {
        if offset != nil && inputs.count != 1 { throw CLIFailure.usage("--offset applies to a single WARC file") }
        do {
            try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        } catch {
            throw CLIFailure.usage("cannot create --out folder \(outputFolder): \(error.localizedDescription)")
        }
        let start = Date()
        var summary = Summary()
        var reported = 0
        let claims = IDClaims()
        for path in inputs {
            let reader: WARCReader
            do throws(WARCError) {
                let limit = extractor.options.maxPageBytes
                reader = try WARCReader(path: path, offset: offset ?? 0,
                                        limits: .init(maxBlockBytes: limit > Int.max / 2 ? limit : limit + (1 << 20)))
            } catch {
                if case .offsetNotAtRecord = error { throw CLIFailure.usage("\(path): \(error)") }
                throw CLIFailure.pageFailed("\(path): \(error)")
            }
            summary.files += 1
            try await extract(reader, into: &summary, reported: &reported, claims: claims, start: start)
        }
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Double(summary.articles) / seconds : 0
        stderr(String(format: "extracted %d articles from %d records in %d WARC files into %@: %d HTML responses, "
                      + "%d without an article, %d not HTML, %d not 2xx, %d other records, %d malformed, "
                      + "%d duplicate URLs, %d failed, %.1f s (%.0f articles/s)",
                      summary.articles, summary.records, summary.files, outputFolder, summary.html,
                      summary.noArticle, summary.nonHTML, summary.otherStatus, summary.otherRecords,
                      summary.malformed, summary.duplicates, summary.failed, seconds, rate))
        if summary.failed > 0 { throw CLIFailure.pageFailed() }
        return summary
    }

    /// At most `jobs` responses are in flight: the reader waits for a free slot before reading on.
    private func extract(_ reader: WARCReader, into summary: inout Summary, reported: inout Int,
                         claims: IDClaims, start: Date) async throws {
        let extractor = self.extractor
        let folder = outputFolder
        let path = reader.path
        let limit = extractor.options.maxPageBytes
        var lastProgress = Date()
        var readError: WARCError?
        await withTaskGroup(of: Outcome.self) { group in
            var inFlight = 0
            func note(_ outcome: Outcome) {
                inFlight -= 1
                switch outcome {
                case .article: summary.html += 1; summary.articles += 1
                case .noArticle: summary.html += 1; summary.noArticle += 1
                case .nonHTML: summary.nonHTML += 1
                case .otherStatus: summary.otherStatus += 1
                case .duplicate: summary.html += 1; summary.duplicates += 1
                case .malformed(let why):
                    summary.malformed += 1
                    if reported < 20 { reported += 1; stderr("skipped \(why)") }
                case .failed(let why):
                    summary.failed += 1
                    stderr("failed \(why)")
                }
            }
            while true {
                let item: WARCReader.Item?
                do throws(WARCError) { item = try reader.next() } catch { readError = error; break }
                guard let item else { break }
                summary.records += 1
                switch item {
                case .skipped(let error):
                    summary.malformed += 1
                    if reported < 20 { reported += 1; stderr("skipped \(path): \(error)") }
                case .record(let record) where record.type == "response":
                    if inFlight >= jobs, let done = await group.next() { note(done) }
                    inFlight += 1
                    group.addTask {
                        Self.process(record, path: path, extractor: extractor, folder: folder, limit: limit, claims: claims)
                    }
                case .record:
                    summary.otherRecords += 1
                }
                let now = Date()
                if now.timeIntervalSince(lastProgress) >= 2 {
                    lastProgress = now
                    stderr("\(path): \(summary.records) records, \(summary.articles) articles")
                }
            }
            for await done in group { note(done) }
        }
        if let readError { throw CLIFailure.pageFailed("\(path): \(readError)") }
    }

    /// Parses one response record's HTTP message and writes its article.
    private static func process(_ record: WARCRecord, path: String, extractor: Extractor, folder: String,
                                limit: Int, claims: IDClaims) -> Outcome {
        let place = "\(path)@\(record.offset)"
        guard let uri = record.targetURI, !uri.isEmpty else { return .malformed("\(place): response without WARC-Target-URI") }
        let response: HTTPResponse
        do {
            response = try HTTPResponse.parse(record.block, maxBodyBytes: limit)
        } catch {
            return .malformed("\(place) \(uri): \(error)")
        }
        guard response.isHTML else { return .nonHTML }
        guard (200..<300).contains(response.status) else { return .otherStatus }
        let page = FetchedPage(url: uri, finalURL: uri, status: response.status, headers: response.headers.fields,
                               contentType: response.mediaType, declaredCharset: response.charset,
                               body: response.body, fetchedAt: record.date ?? Date())
        do {
            let article = try extractor.extract(page: page)
            if claims.claim(article.id, for: place) != nil { return .duplicate }
            try AtomicFile.write(OutputConfig.Format.json.file(article), to: "\(folder)/\(article.id).json", durable: false)
            return .article
        } catch let error as ExtractError {
            if case .noContent = error { return .noArticle }
            return .malformed("\(place) \(uri): \(error)")
        } catch {
            return .failed("\(place) \(uri): \(error)")
        }
    }
}
