import ArgumentParser
import Foundation
import DecantCore
import DecantSpool

extension Decant {
    /// `decant subscribe`: adds a recurring feed or sitemap that the service polls on its interval.
    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subscribe",
            abstract: "Poll a feed or sitemap on an interval and enqueue its new entries.",
            discussion: """
                Stores the source in the spool's journal; the running service polls it with a conditional \
                GET and drops the entries it has not seen before into the inbox. Subscribing again changes \
                the interval and tags. Intervals: a whole number and s, m, h or d, from 1m to 30d \
                (default: sources.defaultIntervalSeconds, one hour).
                """)

        @Argument(help: "The feed's or sitemap's http(s) URL.")
        var url: String

        @Option(help: "How often to poll: 30m, 2h, 1d (1m to 30d).")
        var every: String?

        @Option(help: "Tags for its articles, comma-separated (a,b).")
        var tags: String?

        @OptionGroup var common: ConfigOption

        func validate() throws {
            if let problem = SourceStore.urlProblem(url) { throw ValidationError(problem) }
            if let every {
                do { _ = try PollInterval(parsing: every) } catch { throw ValidationError("--every: \(error)") }
            }
            if let tags, Self.split(tags).contains(where: { $0.unicodeScalars.contains { $0.value < 0x20 } }) {
                throw ValidationError("tags must not contain control characters")
            }
        }

        /// `a, b,,c` → `["a", "b", "c"]`.
        static func split(_ tags: String) -> [String] {
            tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func run() async throws {
            let config = try common.load()
            let interval: PollInterval
            do throws(PollInterval.Problem) {
                if let every {
                    interval = try PollInterval(parsing: every)
                } else {
                    interval = try PollInterval(seconds: config.sources.defaultIntervalSeconds)
                }
            } catch {
                throw CLIFailure.usage(error.description)
            }
            let store = try SourcesAccess.open(config)
            let list = tags.map(Self.split) ?? []
            let added: Bool
            do { added = try store.subscribe(url: url, intervalSeconds: interval.seconds, tags: list) } catch {
                throw CLIFailure(code: 1, message: error.description)
            }
            print("\(added ? "subscribed" : "updated") \(url) every \(interval)"
                  + (list.isEmpty ? "" : " (tags \(list.joined(separator: ", ")))"))
        }
    }

    /// `decant unsubscribe`: stops polling a source and forgets what it offered.
    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unsubscribe",
            abstract: "Stop polling a subscribed feed or sitemap.")

        @Argument(help: "The source's URL, as `decant sources` lists it.")
        var url: String

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let store = try SourcesAccess.open(try common.load())
            let removed: Bool
            do { removed = try store.unsubscribe(url: url) } catch { throw CLIFailure(code: 1, message: error.description) }
            guard removed else { throw CLIFailure.usage("not subscribed: \(url) (see decant sources)") }
            print("unsubscribed \(url)")
        }
    }

    /// `decant sources`: the subscribed sources and how their polls go.
    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sources",
            abstract: "List the subscribed sources: interval, next poll, failures, last error.")

        @Flag(help: "Print the sources as a JSON array.")
        var json = false

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let store = try SourcesAccess.open(try common.load())
            let sources: [SourceSummary]
            do { sources = try store.all().map(SourceSummary.init) } catch {
                throw CLIFailure(code: 1, message: error.description)
            }
            if json {
                FileHandle.standardOutput.write(Delivery.json(sources))
                return
            }
            if sources.isEmpty { print("no sources (add one with decant subscribe URL)"); return }
            for s in sources {
                var line = "\(TextEscaping.escaped(s.url))  every \(s.interval)  next poll \(s.nextPoll)"
                if !s.tags.isEmpty { line += "  tags \(TextEscaping.escaped(s.tags.joined(separator: ",")))" }
                if s.failures > 0 {
                    line += "  failures \(s.failures)"
                    if let error = s.lastError { line += ": \(TextEscaping.escaped(error))" }
                }
                print(line)
            }
        }
    }
}

/// Opens the configured spool's source store for a command.
enum SourcesAccess {
    static func open(_ config: PipelineConfig) throws -> SourceStore {
        let layout = try config.prepareSpool()
        do { return SourceStore(journal: try Journal(path: layout.journal)) } catch {
            throw CLIFailure(code: 1, message: error.description)
        }
    }
}
