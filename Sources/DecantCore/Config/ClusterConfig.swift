import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which engine holds the spool's queue (`queue.backend`).
public enum QueueBackend: String, Sendable, Equatable, Codable, CaseIterable {
    /// The spool's own journal (`state.sqlite`): one host, nothing to install.
    case sqlite
    /// A PostgreSQL database shared by several nodes (`queue.postgres`, docs/cluster.md).
    case postgres
}

/// How a node reaches the shared PostgreSQL queue (`queue.postgres`).
public struct PostgresQueueConfig: Sendable, Equatable, Codable {
    /// `postgres://user@host:port/database`; a password in it is refused (`PGPASSWORD` or `passwordFile`).
    public var url: String?
    /// A file holding the password (first line), read at start; `PGPASSWORD` is used when absent.
    public var passwordFile: String?
    /// Connections this node keeps open at most.
    public var poolSize = 4

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable { case url, passwordFile, poolSize }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PostgresQueueConfig()
        url = try c.value(.url, or: d.url)
        passwordFile = try c.value(.passwordFile, or: d.passwordFile)
        poolSize = try c.integer(.poolSize, or: d.poolSize)
        if let url, let problem = Self.urlProblem(url) {
            throw ConfigError.invalidValue(keyPath: c.path(.url), reason: problem)
        }
        if let passwordFile { try require(!passwordFile.isEmpty, c, .passwordFile, "must not be empty") }
    }

    /// Why `url` cannot name the queue's database, nil when it can.
    package static func urlProblem(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "must be a postgres://user@host:port/database URL"
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            return "must be a postgres:// or postgresql:// URL, not \(scheme)"
        }
        guard let host = parts.host, !host.isEmpty else { return "must name a host" }
        guard let user = parts.user, !user.isEmpty else { return "must name a user (postgres://user@host/database)" }
        if parts.password != nil {
            return "must not hold a password (use PGPASSWORD or queue.postgres.passwordFile)"
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        if database.isEmpty || database.contains("/") { return "must name one database (postgres://user@host/database)" }
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return "must not contain spaces or control characters"
        }
        return nil
    }
}

/// This process as a member of a cluster (`node`).
public struct NodeConfig: Sendable, Equatable, Codable {
    /// Unique per node of one cluster: leases, heartbeats and delivered articles carry it.
    public var name: String = NodeConfig.hostName()

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable { case name }

    /// Longest node name, in bytes.
    public static let maxNameBytes = 64

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, or: Self.hostName())
        try require(!name.isEmpty && name.utf8.count <= Self.maxNameBytes, c, .name,
                    "must be 1–\(Self.maxNameBytes) bytes")
        try require(!name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, c, .name,
                    "must not contain control characters")
    }

    /// This machine's host name (`gethostname`), "localhost" when it has none.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : String(name.utf8.prefix(maxNameBytes))!
    }
}
