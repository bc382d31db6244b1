import Foundation
import Testing
import Logging
import DecantCore
import DecantPostgres
import PostgresNIO

/// A database of its own for one test, made in the throw-away cluster that `scripts/test.sh`
/// starts (`DECANT_TEST_POSTGRES_URL`), dropped at the end.
struct PostgresTestDatabase {
    static let variable = "DECANT_TEST_POSTGRES_URL"
    static let skipReason: Comment = """
        DECANT_TEST_POSTGRES_URL is not set: the PostgreSQL tests need the cluster that ./scripts/test.sh starts \
        (or scripts/pg-test-cluster.sh start DIR)
        """

    /// The cluster's URL, nil for a quick local run without one.
    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The settings of the cluster's URL (its password included), for `database`.
    static func settings(database: String? = nil) -> PostgresConnectionSettings? {
        guard let url, let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            return nil
        }
        return PostgresConnectionSettings(host: host, port: parts.port ?? 5432, user: user,
                                          database: database ?? String(parts.path.dropFirst()),
                                          password: parts.password, sslMode: "disable", poolSize: 4)
    }

    let name: String
    var settings: PostgresConnectionSettings { Self.settings(database: name)! }

    /// Creates an empty database named after a random id.
    static func create() async throws -> PostgresTestDatabase {
        let name = "decant_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await admin { client in try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        return PostgresTestDatabase(name: name)
    }

    /// Drops the database, closing what is still connected to it.
    func drop() async {
        _ = try? await Self.admin { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    /// Runs `body` with a client of the cluster's own database, for statements no queue makes.
    @discardableResult
    static func admin<T: Sendable>(database: String? = nil,
                                   _ body: @Sendable @escaping (PostgresClient) async throws -> T) async throws -> T {
        guard let settings = settings(database: database) else { throw PostgresTestError.noCluster }
        let client = PostgresClient(configuration: settings.clientConfiguration)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Runs `body` with a database of its own; afterwards, whether `body` threw or not, the nodes it
    /// opened are closed and the database is dropped.
    static func scoped<T>(_ body: (PostgresTestScope) async throws -> T) async throws -> T {
        let scope = PostgresTestScope(database: try await create())
        do {
            let value = try await body(scope)
            await scope.end()
            return value
        } catch {
            await scope.end()
            throw error
        }
    }

    /// Opens a queue node on this database.
    func open(node: String, leaseSeconds: Double = 60, now: Date = Date()) async throws -> PostgresQueue {
        try await PostgresQueue.open(settings: settings, node: node, leaseSeconds: leaseSeconds,
                                     logger: Logger(label: "test.postgres"), now: now)
    }
}

enum PostgresTestError: Error { case noCluster }

/// A test's database and the nodes it opened on it (see `PostgresTestDatabase.scoped`).
final class PostgresTestScope: @unchecked Sendable {  // `opened` is only touched by the test's own task
    let database: PostgresTestDatabase
    private var opened: [PostgresQueue] = []

    init(database: PostgresTestDatabase) { self.database = database }

    var name: String { database.name }
    var settings: PostgresConnectionSettings { database.settings }

    /// Opens a queue node, closed when the scope ends.
    func open(node: String, leaseSeconds: Double = 60, now: Date = Date()) async throws -> PostgresQueue {
        let queue = try await database.open(node: node, leaseSeconds: leaseSeconds, now: now)
        opened.append(queue)
        return queue
    }

    func end() async {
        for queue in opened { await queue.close() }
        await database.drop()
    }
}
