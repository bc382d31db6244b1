import GRDB

/// Opens the SQLite databases Decant keeps (the spool journal, the validators store) the same way:
/// WAL with `synchronous = NORMAL` on disk, `":memory:"` for an in-memory database.
package enum SQLiteQueue {
    package static func open(path: String, busyTimeoutSeconds: Double? = nil) throws -> DatabaseQueue {
        var configuration = Configuration()
        if let busyTimeoutSeconds { configuration.busyMode = .timeout(busyTimeoutSeconds) }
        if path == ":memory:" { return try DatabaseQueue(configuration: configuration) }
        configuration.prepareDatabase { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
