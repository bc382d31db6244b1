import Foundation
import Logging
import DecantFetch
import DecantPostgres

/// robots.txt shared through the cluster's database: the first node to ask an origin fetches it and
/// stores it (with its Crawl-delay for the hosts table); the others read it until it expires.
///
/// A database error is logged and treated as "nothing stored", so a node then fetches robots.txt itself.
package struct SharedRobotsStore: RobotsSharing {
    let queue: PostgresQueue
    let userAgent: String
    let logger: Logger

    package init(queue: PostgresQueue, userAgent: String, logger: Logger) {
        self.queue = queue
        self.userAgent = userAgent
        self.logger = logger
    }

    package func stored(for origin: String) async -> RobotsFile? {
        do {
            return try await queue.sharedRobots(for: origin, now: Date())
                .map { RobotsFile(status: $0.status, body: $0.body, expires: $0.expires) }
        } catch {
            logger.debug("shared robots.txt of \(origin): \(error)")
            return nil
        }
    }

    package func store(_ file: RobotsFile, for origin: String) async {
        // The delay this node's fetcher honours (capped the same way), for every node's host slots.
        let crawlDelay = (200..<300).contains(file.status)
            ? min(Robots(parsing: file.body, userAgent: userAgent).crawlDelay ?? 0, Fetcher.maxCrawlDelay) : 0
        do {
            try await queue.storeRobots(SharedRobots(status: file.status, body: file.body, expires: file.expires),
                                        crawlDelay: crawlDelay, for: origin, now: Date())
        } catch {
            logger.debug("storing robots.txt of \(origin): \(error)")
        }
    }
}
