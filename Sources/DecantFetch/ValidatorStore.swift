import Foundation
import GRDB
import DecantCore

/// ETag and Last-Modified per URL in SQLite, sent back as If-None-Match / If-Modified-Since.
public final class ValidatorStore: Sendable {
    /// The validators remembered for one URL.
    public struct Validators: Sendable, Equatable {
        public var etag: String?
        public var lastModified: String?

        public init(etag: String?, lastModified: String?) {
            self.etag = etag
            self.lastModified = lastModified
        }

        /// The conditional request headers these validators make.
        var requestHeaders: [String] {
            var headers: [String] = []
            if let etag { headers.append("If-None-Match: \(etag)") }
            if let lastModified { headers.append("If-Modified-Since: \(lastModified)") }
            return headers
        }
    }

    /// Why the store could not be opened; `resultCode` is SQLite's primary result code when SQLite failed.
    public struct OpenError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var resultCode: Int32? = nil
        public var description: String { "cannot open validators database \(path): \(reason)" }
    }

    private let database: DatabaseQueue
    /// Rows not refreshed for this long are dropped when the store opens (keeps the file bounded).
    static let retentionDays: Double = 180

    /// Opens (creating if needed) the database at `path`; `":memory:"` keeps it in memory.
    public init(path: String) throws(OpenError) {
        do {
            database = try SQLiteQueue.open(path: path)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS validators (
                        url TEXT PRIMARY KEY NOT NULL,
                        etag TEXT,
                        lastModified TEXT,
                        updatedAt DOUBLE NOT NULL)
                    """)
                try db.execute(sql: "DELETE FROM validators WHERE updatedAt < ?",
                               arguments: [Date().timeIntervalSince1970 - Self.retentionDays * 86_400])
            }
        } catch let error as DatabaseError {
            throw OpenError(path: path, reason: error.message ?? "\(error)",
                            resultCode: error.resultCode.primaryResultCode.rawValue)
        } catch {
            throw OpenError(path: path, reason: "\(error)")
        }
    }

    /// Opens the store a pipeline configures (`fetch.validatorsDatabase` in the spool folder, which is
    /// created if needed); nil when the setting is empty.
    public static func open(for config: PipelineConfig) throws(OpenError) -> ValidatorStore? {
        guard let path = config.validatorsPath else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw OpenError(path: path, reason: error.localizedDescription)
        }
        return try ValidatorStore(path: path)
    }

    /// The validators remembered for `url`, if any.
    public func validators(for url: String) -> Validators? {
        try? database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT etag, lastModified FROM validators WHERE url = ?",
                                             arguments: [url]) else { return nil }
            let v = Validators(etag: row["etag"], lastModified: row["lastModified"])
            return v.etag == nil && v.lastModified == nil ? nil : v
        }
    }

    /// Remembers the validators of a 200 response (or forgets them when it sent none).
    public func remember(_ validators: Validators, for url: String) {
        try? database.write { db in
            if validators.etag == nil && validators.lastModified == nil {
                try db.execute(sql: "DELETE FROM validators WHERE url = ?", arguments: [url])
            } else {
                try db.execute(sql: """
                    INSERT INTO validators (url, etag, lastModified, updatedAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, lastModified = excluded.lastModified,
                        updatedAt = excluded.updatedAt
                    """, arguments: [url, validators.etag, validators.lastModified, Date().timeIntervalSince1970])
            }
        }
    }

    /// Marks `url`'s validators as still current (after a 304).
    public func touch(_ url: String) {
        try? database.write { db in
            try db.execute(sql: "UPDATE validators SET updatedAt = ? WHERE url = ?",
                           arguments: [Date().timeIntervalSince1970, url])
        }
    }
}
