import Foundation
import Logging
import Synchronization
import DecantCore
import DecantFetch
import DecantSources

/// Polls the recurring sources when they are due, on the service clock: a conditional GET of each
/// (a 304 offers nothing), the entries not seen before (by id and URL; sitemap pages whose
/// `lastmod` moved) written as one JSONL job file into the inbox, and only then recorded as seen.
///
/// A crash between the rename and the journal write offers those entries again on the next poll;
/// the spool's duplicate window absorbs them. A failing source waits `sources.backoffBaseSeconds`,
/// doubling up to `sources.backoffMaxSeconds`; a success resets it. One pass polls at most
/// `sources.pollsPerPass` sources (at once) and reads at most `maxChildSitemaps` sitemaps of an index.
final class SourcePoller: Sendable {
    private let store: SourceStore
    private let layout: SpoolLayout
    private let clock: any ServiceClock
    private let logger: Logger
    private let config: Mutex<Settings>
    private let fetcher: Mutex<any PageFetching>
    private let wake: Wake
    /// Called after each pass that wrote a job file (true) or that ended a `--once` run (false).
    private let notify: @Sendable (_ wroteJob: Bool) -> Void
    /// True while a pass runs, and in `--once` mode until the run's passes are done.
    private let busy: Mutex<Bool>

    /// What the poller reads from the configuration (changed by a reload).
    struct Settings: Sendable {
        var sources: SourcesConfig
        /// How often the poller looks for subscriptions added while it sleeps (`schedule.intervalSeconds`).
        var recheckSeconds: Double
        var limits = SourceLimits.standard
    }

    /// Seconds between two passes when more sources are due than one pass takes.
    static let passGap: Double = 0.1
    /// Sitemaps of an index (or robots.txt) read in one poll at most.
    static let maxChildSitemaps = 64

    /// What became of one poll.
    enum Result: Sendable, Equatable {
        /// A 304: nothing offered.
        case notModified
        /// A new body: `offered` entries written to `job` (nil when none was new).
        case changed(offered: Int, job: String?)
        /// The poll failed `failures` times in a row now.
        case failed(reason: String, failures: Int)
    }

    init(store: SourceStore, layout: SpoolLayout, settings: Settings, fetcher: any PageFetching, clock: any ServiceClock,
         logger: Logger, once: Bool, notify: @escaping @Sendable (Bool) -> Void) {
        self.store = store
        self.layout = layout
        self.clock = clock
        self.logger = logger
        self.config = Mutex(settings)
        self.fetcher = Mutex(fetcher)
        self.wake = Wake(clock: clock)
        self.notify = notify
        self.busy = Mutex(once)
    }

    /// Polls with `fetcher` from now on (a reload replaced it).
    func use(_ fetcher: any PageFetching) { self.fetcher.withLock { $0 = fetcher } }

    /// New settings from a reload; the poller looks again at once.
    func apply(_ settings: Settings) {
        config.withLock { $0 = settings }
        wake.poke()
    }

    /// True while polls may still write job files (for `--once`, which waits for them).
    var isBusy: Bool { busy.withLock { $0 } }

    /// Polls until cancelled, sleeping until the next source is due (or `recheckSeconds`, for sources
    /// subscribed meanwhile); with `once`, polls what is due now and returns.
    func run(once: Bool) async {
        while !Task.isCancelled {
            let now = clock.now()
            busy.withLock { $0 = true }
            let (polled, full) = await pass(now: now)
            if once && (polled == 0 || !full) {
                busy.withLock { $0 = false }
                notify(false)
                return
            }
            busy.withLock { $0 = false }
            let settings = config.withLock { $0 }
            var deadline = now.addingTimeInterval(settings.recheckSeconds)
            // A source still due after its poll could not be recorded: it waits a second, not a spin.
            if let next = try? store.nextPollTime() { deadline = min(deadline, max(next, now.addingTimeInterval(1))) }
            // More were due than one pass takes: the next pass follows after a short breath.
            if full { deadline = min(deadline, now.addingTimeInterval(Self.passGap)) }
            await wake.wait(until: deadline)
        }
        busy.withLock { $0 = false }
    }

    /// One pass: polls up to `pollsPerPass` due sources at once; returns how many, and whether that was the cap.
    func pass(now: Date) async -> (polled: Int, full: Bool) {
        let limit = config.withLock { $0.sources.pollsPerPass }
        let due: [SourceStore.Source]
        do { due = try store.due(now: now, limit: limit) } catch {
            logger.error("cannot read the recurring sources: \(error)")
            return (0, false)
        }
        guard !due.isEmpty else { return (0, false) }
        let wrote = await withTaskGroup(of: Bool.self, returning: Bool.self) { group in
            for source in due {
                group.addTask {
                    if case .changed(_, .some) = await self.poll(source) { return true }
                    return false
                }
            }
            var any = false
            for await wroteJob in group where wroteJob { any = true }
            return any
        }
        if wrote { notify(true) }
        return (due.count, due.count >= limit)
    }

    /// Polls one source and records the outcome.
    func poll(_ source: SourceStore.Source) async -> Result {
        let settings = config.withLock { $0 }
        let fetcher = self.fetcher.withLock { $0 }
        let validators = source.etag == nil && source.lastModified == nil ? nil
            : ValidatorStore.Validators(etag: source.etag, lastModified: source.lastModified)
        let outcome = await fetcher.fetchSource(source.url, validators: validators)
        let now = clock.now()
        switch outcome {
        case .notModified:
            do { try store.polled(source.url, present: [], validators: nil, now: now) } catch {
                return failed(source, "recording the poll: \(error)", settings, now)
            }
            logger.debug("source \(source.url): not modified")
            return .notModified
        case .deferred, .failed:
            return failed(source, outcome.reason, settings, now)
        case .fetched(let page):
            let found: Found
            do {
                found = try await entries(of: page, source: source.url, tags: source.tags, fetcher: fetcher,
                                          limits: settings.limits)
            } catch {
                return failed(source, "\(error)", settings, now)
            }
            return await offer(found, from: source, page: page, settings, now)
        }
    }

    /// The entries one poll found: job lines for each (with hints), sitemaps read, and a problem
    /// with a sitemap of an index, if one failed.
    struct Found {
        var candidates: [(entry: SourceStore.Entry, line: SourceJobFile.Line)] = []
        var sitemaps: [SourceStore.Entry] = []
        var problem: String?
    }

    /// Why a body is no source.
    struct NotASource: Error, CustomStringConvertible {
        var url: String
        var contentType: String?
        var description: String {
            "\(url) is not a feed or sitemap" + (contentType.map { " (served as \($0))" } ?? "")
        }
    }

    /// Reads `page` as a feed or sitemap; an index's sitemaps that are new or changed are fetched too.
    private func entries(of page: FetchedPage, source: String, tags: [String], fetcher: any PageFetching,
                         limits: SourceLimits) async throws -> Found {
        let document: SourceDocument
        do {
            document = try SourceDocument.read(page.body, contentType: page.contentType, url: page.finalURL, limits: limits)
        } catch {
            throw SourceProblem(url: page.finalURL, error: error)
        }
        var found = Found()
        let lineTags = tags.isEmpty ? nil : tags
        switch document {
        case .page:
            throw NotASource(url: page.finalURL, contentType: page.contentType)
        case .feed(let feed):
            for entry in feed.entries {
                guard let link = entry.link else { continue }
                let id = entry.id ?? link
                let hints = SourceJobFile.Line.Hints(
                    title: entry.title, published: entry.published,
                    author: entry.authors.isEmpty ? nil : entry.authors.joined(separator: ", "),
                    categories: entry.categories.isEmpty ? nil : entry.categories, entryId: entry.id)
                found.candidates.append((SourceStore.Entry(id: id, url: link),
                                         SourceJobFile.Line(url: link, tags: lineTags, sourceFeed: source,
                                                            hints: hints.isEmpty ? nil : hints)))
            }
        case .sitemap(let sitemap):
            try await add(sitemap, depth: 0, source: source, tags: lineTags, fetcher: fetcher, limits: limits, to: &found)
        }
        return found
    }

    /// Adds a sitemap's pages, or (an index) reads its new and changed sitemaps, up to the depth limit.
    private func add(_ sitemap: Sitemap, depth: Int, source: String, tags: [String]?, fetcher: any PageFetching,
                     limits: SourceLimits, to found: inout Found) async throws {
        guard sitemap.listsSitemaps else {
            for entry in sitemap.entries where found.candidates.count < limits.entries {
                found.candidates.append((SourceStore.Entry(id: entry.loc, url: entry.loc, lastmod: entry.lastmod),
                                         SourceJobFile.Line(url: entry.loc, tags: tags, sourceFeed: source)))
            }
            return
        }
        guard depth < limits.sitemapDepth else { return }
        let children = sitemap.entries.map { SourceStore.Entry(id: "sitemap:" + $0.loc, url: $0.loc, lastmod: $0.lastmod) }
        let freshness = try store.freshness(of: children, source: source)
        var read = 0
        for (child, fresh) in zip(children, freshness) {
            // A sitemap without a lastmod is read every time its index changes.
            guard fresh != .seen || child.lastmod == nil else { found.sitemaps.append(child); continue }
            guard read < Self.maxChildSitemaps else { found.problem = "more than \(Self.maxChildSitemaps) changed sitemaps; the rest wait"; break }
            read += 1
            let outcome = await fetcher.fetchSource(child.url, validators: nil)
            guard case .fetched(let page) = outcome else {
                found.problem = "sitemap \(child.url): \(outcome.reason)"
                continue
            }
            do {
                let document = try SourceDocument.read(page.body, contentType: page.contentType, url: page.finalURL,
                                                       override: .sitemap, limits: limits)
                guard case .sitemap(let inner) = document else { continue }
                try await add(inner, depth: depth + 1, source: source, tags: tags, fetcher: fetcher, limits: limits,
                              to: &found)
                found.sitemaps.append(child)
            } catch {
                found.problem = "sitemap \(child.url): \(error)"
            }
        }
    }

    /// Writes the new and changed entries as a job file, then records the poll.
    private func offer(_ found: Found, from source: SourceStore.Source, page: FetchedPage, _ settings: Settings,
                       _ now: Date) async -> Result {
        var seenIds = Set<String>(), seenURLs = Set<String>()
        var present: [SourceStore.Entry] = []
        var lines: [SourceJobFile.Line] = []
        do {
            let unique = found.candidates.filter { seenIds.insert($0.entry.id).inserted && seenURLs.insert($0.entry.url).inserted }
            let freshness = try store.freshness(of: unique.map(\.entry), source: source.url)
            for ((entry, line), fresh) in zip(unique, freshness) {
                present.append(entry)
                switch fresh {
                case .new: lines.append(line)
                case .changed:
                    var again = line
                    again.recrawlHours = 0
                    lines.append(again)
                case .seen: break
                }
            }
            let job = try SourceJobFile.write(lines, to: layout, now: now)
            // Only now, with the file in the inbox, are the entries seen (and the validators kept).
            let validators = found.problem == nil ? (page.etag, page.lastModified) : nil
            try store.polled(source.url, present: present + found.sitemaps,
                             validators: validators.map { (etag: $0.0, lastModified: $0.1) }, now: now)
            if let problem = found.problem { return failed(source, problem, settings, now) }
            if !lines.isEmpty {
                logger.info("source \(source.url): \(lines.count) new entr\(lines.count == 1 ? "y" : "ies") in \(job ?? "")")
            }
            return .changed(offered: lines.count, job: job)
        } catch {
            return failed(source, "\(error)", settings, now)
        }
    }

    private func failed(_ source: SourceStore.Source, _ reason: String, _ settings: Settings, _ now: Date) -> Result {
        let backoff = ExponentialBackoff(base: settings.sources.backoffBaseSeconds, cap: settings.sources.backoffMaxSeconds)
        let count = (try? store.failed(source.url, error: reason, now: now) { backoff.delay(step: $0 - 1) }) ?? 0
        logger.warning("source \(source.url): poll failed (\(count) in a row): \(reason)")
        return .failed(reason: reason, failures: count)
    }
}

/// A feed or sitemap body that could not be read, with where it came from.
struct SourceProblem: Error, CustomStringConvertible {
    var url: String
    var error: SourceError
    var description: String { "\(url): \(error)" }
}
