import Foundation
import DecantCore
import PostgresNIO

/// Where and as whom a node connects to the shared queue: `queue.postgres` resolved, with the
/// password from `passwordFile` or `PGPASSWORD`. Its description never shows the password.
public struct PostgresConnectionSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    /// `sslmode` of the URL: `disable`, `prefer` (the default) or `require`.
    public var sslMode: String
    public var poolSize: Int

    public init(host: String, port: Int, user: String, database: String, password: String?, sslMode: String = "prefer",
                poolSize: Int = 4) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.sslMode = sslMode
        self.poolSize = poolSize
    }

    /// The settings of `config`; a problem is a configuration error naming its key path (exit 2).
    public static func resolve(_ config: PostgresQueueConfig,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> PostgresConnectionSettings {
        let urlKey = "queue.postgres.url"
        guard let url = config.url else { throw .invalidValue(keyPath: urlKey, reason: "is required with queue.backend \"postgres\"") }
        if let problem = PostgresQueueConfig.urlProblem(url) { throw .invalidValue(keyPath: urlKey, reason: problem) }
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw .invalidValue(keyPath: urlKey, reason: "must be a postgres://user@host:port/database URL")
        }
        var sslMode = "prefer"
        for item in parts.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw .invalidValue(keyPath: urlKey, reason: "has an unknown parameter \(item.name) (only sslmode)")
            }
            guard let value = item.value, ["disable", "prefer", "require"].contains(value) else {
                throw .invalidValue(keyPath: urlKey, reason: "sslmode must be disable, prefer or require")
            }
            sslMode = value
        }
        var password = environment["PGPASSWORD"]
        if let file = config.passwordFile {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw .invalidValue(keyPath: "queue.postgres.passwordFile", reason: "cannot be read (\(file))")
            }
            password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) } ?? ""
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return PostgresConnectionSettings(host: bare, port: parts.port ?? 5432, user: user,
                                          database: String(parts.path.dropFirst()), password: password,
                                          sslMode: sslMode, poolSize: config.poolSize)
    }

    /// postgres-nio's client configuration for these settings.
    public var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The URL without any password, for logs.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
    public var debugDescription: String { description }
}
