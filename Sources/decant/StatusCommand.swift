import ArgumentParser
import Foundation
import Logging
import DecantCore
import DecantSpool
import DecantPostgres
import DecantCluster

extension Decant {
    /// `decant status`: counts per spool folder, throughput and recent failures.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the spool: files per folder, URLs per state, pages/min, recent failures.",
            discussion: """
                With queue.backend "postgres", also the cluster: the shared queue's URLs per state and \
                each node's heartbeat, leases held and outcomes of the last five minutes (under \
                "cluster" in --json). A database that cannot be reached is reported, and the exit code is 1.
                """)

        @Flag(help: "Print the status as JSON (the same object as <spool>/status.json).")
        var json = false

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let config = try common.load()
            let layout = SpoolLayout(root: config.spool)
            guard FileManager.default.fileExists(atPath: layout.root) else {
                throw CLIFailure.usage("no spool at \(layout.root) (set 'spool' in the configuration)")
            }
            let status = SpoolStatus.collect(layout: layout, journal: Journal.openIfPresent(layout.journal))
            var cluster: Result<ClusterStatus, QueueError>?
            if config.queue.backend == .postgres { cluster = await Self.cluster(config) }
            if json {
                FileHandle.standardOutput.write(cluster.map { NodeStatus(spool: status, cluster: $0).json } ?? status.jsonData())
            } else {
                print(status.text, terminator: "")
                switch cluster {
                case .success(let cluster)?: print(cluster.text, terminator: "")
                case .failure(let error)?: print("cluster: \(error)")
                case nil: break
                }
            }
            if case .failure? = cluster { throw CLIFailure(code: 1, message: "") }
        }

        /// The shared queue's view, read without registering this process as a node.
        static func cluster(_ config: PipelineConfig) async -> Result<ClusterStatus, QueueError> {
            let settings: PostgresConnectionSettings
            do { settings = try PostgresConnectionSettings.resolve(config.queue.postgres) } catch {
                return .failure(.unavailable(operation: "configuration", message: "\(error)"))
            }
            var logger = Logger(label: "decant.status") { _ in JournalLogHandler() }
            logger.logLevel = .error
            do {
                let queue = try await PostgresQueue.open(settings: settings, node: config.node.name,
                                                         leaseSeconds: config.queue.leaseSeconds, logger: logger,
                                                         registerNode: false)
                let result: Result<ClusterStatus, QueueError>
                do { result = .success(try await queue.clusterStatus()) } catch { result = .failure(error) }
                await queue.close()
                return result
            } catch {
                return .failure(error)
            }
        }
    }
}
