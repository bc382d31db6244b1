import Foundation

/// A robots.txt response as fetched once for several fetchers (the nodes of a cluster), kept until `expires`.
public struct RobotsFile: Sendable, Equatable {
    /// The HTTP status of the robots.txt response (2xx rules, 4xx allow all, 429/5xx unavailable).
    public var status: Int
    public var body: Data
    public var expires: Date

    public init(status: Int, body: Data, expires: Date) {
        self.status = status
        self.body = body
        self.expires = expires
    }
}

/// Where fetchers share robots.txt responses, so one of them fetches it for all (a cluster's database).
///
/// Both calls may fail quietly: a fetcher that finds nothing fetches robots.txt itself.
public protocol RobotsSharing: Sendable {
    /// The response stored for `origin` (`https://host:port`), nil when there is none still valid.
    func stored(for origin: String) async -> RobotsFile?
    /// Stores the response this fetcher just got for `origin`.
    func store(_ file: RobotsFile, for origin: String) async
}
