import Foundation
import Testing
@testable import DecantCore
import DecantTestSupport

@Suite struct PipelineConfigTests {
    @Test func anEmptyObjectGivesAllDefaults() throws {
        let config = try PipelineConfig.decode(Data("{}".utf8))
        #expect(config == PipelineConfig())
        #expect(config.fetch.concurrency == 32)
        #expect(config.output.formats == [.json, .markdown])
    }

    @Test func aPartialFileKeepsDefaultsForTheRest() throws {
        let config = try PipelineConfig.decode(Data(#"{"fetch": {"concurrency": 3}}"#.utf8))
        #expect(config.fetch.concurrency == 3)
        #expect(config.fetch.perHostConcurrency == 4)
        #expect(config.schedule.intervalSeconds == 30)
    }

    @Test func anUnknownKeyIsRejectedWithItsPath() {
        #expect(throws: ConfigError.unknownKey(keyPath: "fetch.concurency")) {
            try PipelineConfig.decode(Data(#"{"fetch": {"concurency": 3}}"#.utf8))
        }
        #expect(throws: ConfigError.unknownKey(keyPath: "colour")) {
            try PipelineConfig.decode(Data(#"{"colour": 1}"#.utf8))
        }
    }

    @Test func aWrongTypeIsRejectedWithItsPath() {
        #expect(throws: ConfigError.wrongType(keyPath: "fetch.timeoutSeconds", expected: "a number")) {
            try PipelineConfig.decode(Data(#"{"fetch": {"timeoutSeconds": "ten"}}"#.utf8))
        }
        #expect(throws: ConfigError.wrongType(keyPath: "fetch.obeyRobots", expected: "true or false")) {
            try PipelineConfig.decode(Data(#"{"fetch": {"obeyRobots": 1}}"#.utf8))
        }
    }

    @Test func keepCommentsIsReadAndOffByDefault() throws {
        #expect(try PipelineConfig.decode(Data(#"{"clean": {"keepComments": true}}"#.utf8)).clean.keepComments == true)
        #expect(try PipelineConfig.decode(Data(#"{"clean": {"keepComments": false}}"#.utf8)).clean.keepComments == false)
        #expect(try PipelineConfig.decode(Data("{}".utf8)).clean.keepComments == false)
        #expect(throws: ConfigError.wrongType(keyPath: "clean.keepComments", expected: "true or false")) {
            try PipelineConfig.decode(Data(#"{"clean": {"keepComments": "yes"}}"#.utf8))
        }
    }

    @Test func anOutOfRangeValueIsRejectedWithItsPath() {
        #expect(throws: ConfigError.invalidValue(keyPath: "fetch.concurrency", reason: "must be in the range 1–1024")) {
            try PipelineConfig.decode(Data(#"{"fetch": {"concurrency": 0}}"#.utf8))
        }
    }

    @Test func anUnknownOutputFormatNamesItsIndex() {
        do {
            _ = try PipelineConfig.decode(Data(#"{"output": {"formats": ["json", "xml"]}}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "output.formats[1]")
        }
    }

    @Test func malformedJSONIsReported() {
        do {
            _ = try PipelineConfig.decode(Data("{".utf8))
            Issue.record("expected an error")
        } catch {
            guard case .malformedJSON = error else { Issue.record("got \(error)"); return }
        }
    }

    /// `{"fetch": {"timeoutSeconds": value}}` for the key path `fetch.timeoutSeconds`.
    static func json(_ keyPath: String, _ value: String) -> Data {
        let parts = keyPath.split(separator: ".")
        var inner = "{\"\(parts.last!)\": \(value)}"
        if keyPath.hasPrefix("output.webhook.") {  // the webhook's required keys
            inner = "{\"url\": \"https://hooks.example.com/\", \"secret\": \"k\", \"\(parts.last!)\": \(value)}"
        }
        for part in parts.dropLast().reversed() { inner = "{\"\(part)\": \(inner)}" }
        return Data(inner.utf8)
    }

    @Test func everyNumericKeyRefusesAHugeValueNamingItsPath() {
        #expect(ConfigLimits.table.count == 34)
        for (keyPath, limit) in ConfigLimits.table {
            for value in ["1e300", "1e19", "-1e19"] {
                #expect(throws: ConfigError.invalidValue(keyPath: keyPath, reason: "must be in the range \(limit.text)"),
                        "\(keyPath): \(value)") {
                    try PipelineConfig.decode(Self.json(keyPath, value))
                }
            }
        }
    }

    @Test func everyNumericKeyAcceptsBothEndsOfItsRange() throws {
        for (keyPath, limit) in ConfigLimits.table where !keyPath.hasSuffix("MaxDelayMs") && !keyPath.hasSuffix("backoffMaxSeconds") {
            for value in [limit.min, limit.max] {
                let text = limit.integer ? String(Int(value)) : String(value)
                var data = Self.json(keyPath, text)
                // retryBaseDelayMs / backoffBaseSeconds must not exceed their maximum's default.
                if keyPath == "fetch.retryBaseDelayMs" {
                    data = Data(#"{"fetch": {"retryBaseDelayMs": \#(text), "retryMaxDelayMs": 3600000}}"#.utf8)
                } else if keyPath == "queue.backoffBaseSeconds" {
                    data = Data(#"{"queue": {"backoffBaseSeconds": \#(text), "backoffMaxSeconds": 2592000}}"#.utf8)
                } else if keyPath == "sources.backoffBaseSeconds" {
                    data = Data(#"{"sources": {"backoffBaseSeconds": \#(text), "backoffMaxSeconds": 2592000}}"#.utf8)
                }
                _ = try PipelineConfig.decode(data)
            }
        }
    }

    @Test(arguments: ["4.5", "1e30", "9223372036854775808", "-9223372036854775809", "1e400"])
    func anIntegerKeyRefusesNonIntegersAndOverflowsNamingItsPath(_ value: String) {
        do {
            _ = try PipelineConfig.decode(Self.json("fetch.maxRedirects", value))
            Issue.record("\(value) was accepted")
        } catch {
            #expect(error.keyPath == "fetch.maxRedirects", "\(value): \(error)")
            guard case .invalidValue = error else { Issue.record("\(value): \(error)"); return }
        }
    }

    @Test func aStringForAnIntegerKeyIsAWrongType() {
        #expect(throws: ConfigError.wrongType(keyPath: "queue.maxAttempts", expected: "an integer")) {
            try PipelineConfig.decode(Data(#"{"queue": {"maxAttempts": "five"}}"#.utf8))
        }
    }

    @Test(arguments: ["fetch.timeoutSeconds", "fetch.retries", "fetch.userAgent", "fetch.obeyRobots",
                      "output.formats", "spool", "fetch", "queue"])
    func nullIsRefusedNamingTheKey(_ keyPath: String) {
        do {
            _ = try PipelineConfig.decode(Self.json(keyPath, "null"))
            Issue.record("null for \(keyPath) was accepted")
        } catch {
            #expect(error.keyPath == keyPath, "\(error)")
        }
    }

    @Test func aKeyWrittenTwiceIsRefusedWithItsPath() {
        #expect(throws: ConfigError.duplicateKey(keyPath: "fetch.retries")) {
            try PipelineConfig.decode(Data(#"{"fetch": {"retries": 1, "timeoutSeconds": 3, "retries": 2}}"#.utf8))
        }
        #expect(throws: ConfigError.duplicateKey(keyPath: "spool")) {
            try PipelineConfig.decode(Data(#"{"spool": "a", "queue": {}, "spool": "b"}"#.utf8))
        }
        // An escaped spelling is the same key.
        #expect(throws: ConfigError.duplicateKey(keyPath: "queue.maxAttempts")) {
            try PipelineConfig.decode(Data(#"{"queue": {"maxAttempts": 1, "max\u0041ttempts": 2}}"#.utf8))
        }
        // The same key in two different objects is fine.
        #expect(throws: Never.self) {
            try PipelineConfig.decode(Data(#"{"fetch": {"retries": 1}, "queue": {"maxAttempts": 1}, "output": {"formats": ["json"]}}"#.utf8))
        }
    }

    @Test func theDuplicateScannerFollowsNestingAndLeavesBadJSONToTheDecoder() {
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(#"{"a": [{"b": 1}, {"b": 2, "c": {"d": 1, "d": 2}}]}"#.utf8))
            == "a[1].c.d")
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(#"{"a": "x\"y", "b": ["a", "a"]}"#.utf8)) == nil)
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(#"{"a": 1, "#.utf8)) == nil)
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(String(repeating: "[", count: 100_000).utf8)) == nil)
    }

    @Test(arguments: ["../../x.sqlite", "/var/tmp/x.sqlite", "db/../x.sqlite", "folder/", "./x.sqlite"])
    func theValidatorsDatabaseMustStayInsideTheSpool(_ path: String) {
        do {
            _ = try PipelineConfig.decode(Data(#"{"fetch": {"validatorsDatabase": "\#(path)"}}"#.utf8))
            Issue.record("\(path) was accepted")
        } catch {
            #expect(error.keyPath == "fetch.validatorsDatabase")
        }
    }

    @Test func aFolderGivenAsTheConfigurationFileIsAReadableError() throws {
        let folder = NSTemporaryDirectory() + "decant-config-dir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ConfigError.unreadable(path: folder, reason: "is a folder, not a file")) {
            try PipelineConfig.load(path: folder)
        }
        #expect(throws: ConfigError.unreadable(path: folder + "/missing.json", reason: "No such file or directory")) {
            try PipelineConfig.load(path: folder + "/missing.json")
        }
    }

    @Test func theSpoolIsRelativeToTheConfigurationFilesFolder() throws {
        let folder = NSTemporaryDirectory() + "decant-config-rel-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(#"{"spool": "../var/spool"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/etc/pipeline.json"))
        let config = try PipelineConfig.load(path: folder + "/etc/pipeline.json")
        #expect(config.spool == URL(fileURLWithPath: folder + "/var/spool").standardizedFileURL.path)
    }

    @Test func theDocsStateTheRangeOfEveryNumericKeyAndWhereTheSpoolIs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let service = try String(contentsOf: root.appendingPathComponent("docs/service.md"), encoding: .utf8)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (keyPath, limit) in ConfigLimits.table {
            let row = service.split(separator: "\n").first { $0.hasPrefix("| `\(keyPath)`") }
            #expect(row?.contains(limit.text) == true, "docs/service.md: no row for \(keyPath) with \(limit.text)")
        }
        #expect(readme.contains("relative to the configuration file's folder"))
        #expect(!readme.contains("relative to the working directory)"))
    }

    @Test func aSpoolThatIsAFileOrHoldsAFileForAFolderIsAConfigurationError() throws {
        let folder = NSTemporaryDirectory() + "decant-config-spool-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/good/spool", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var config = PipelineConfig()
        config.spool = folder + "/afile"
        try Data("x".utf8).write(to: URL(fileURLWithPath: config.spool))
        do { _ = try config.prepareSpool(); Issue.record("a file was accepted") } catch { #expect(error.keyPath == "spool") }
        config.spool = folder + "/good/spool"
        try Data("x".utf8).write(to: URL(fileURLWithPath: config.spool + "/inbox"))
        do { _ = try config.prepareSpool(); Issue.record("inbox as a file was accepted") } catch {
            #expect(error.keyPath == "spool")
            #expect(error.description.contains("inbox"))
        }
        try FileManager.default.removeItem(atPath: config.spool + "/inbox")
        try FileManager.default.createDirectory(atPath: config.spool + "/validators.sqlite", withIntermediateDirectories: true)
        do { _ = try config.prepareSpool(); Issue.record("a folder as the database was accepted") } catch {
            #expect(error.keyPath == "fetch.validatorsDatabase")
        }
        try FileManager.default.removeItem(atPath: config.spool + "/validators.sqlite")
        let layout = try config.prepareSpool()
        #expect(FileManager.default.fileExists(atPath: layout.inbox))
    }

    @Test(.enabled(if: TestMount.available, "needs root to mount a tmpfs"))
    func aReadOnlySpoolIsAConfigurationError() throws {
        let mount = try TestMount(options: "ro,size=1m")
        defer { mount.remove() }
        var config = PipelineConfig()
        config.spool = mount.path + "/spool"
        do { _ = try config.prepareSpool(); Issue.record("a read-only spool was accepted") } catch {
            #expect(error.keyPath == "spool")
            #expect(error.description.contains("Read-only"), "\(error)")
        }
    }
}

/// `queue.backend`, `queue.postgres.*`, `queue.leaseSeconds` and `node.name` (docs/cluster.md).
@Suite struct ClusterConfigTests {
    static func decode(_ json: String) throws -> PipelineConfig { try PipelineConfig.decode(Data(json.utf8)) }

    @Test func theDefaultsAreTheSQLiteJournalAOneMinuteLeaseAndTheHostName() throws {
        let config = try Self.decode("{}")
        #expect(config.queue.backend == .sqlite)
        #expect(config.queue.leaseSeconds == 60)
        #expect(config.queue.postgres.poolSize == 4)
        #expect(config.node.name == NodeConfig.hostName())
        #expect(!config.node.name.isEmpty)
    }

    @Test func aPostgresQueueIsReadWithItsURLPoolAndNodeName() throws {
        let config = try Self.decode("""
            {"queue": {"backend": "postgres", "leaseSeconds": 30,
                       "postgres": {"url": "postgres://decant@db.example:5433/queue", "poolSize": 8,
                                    "passwordFile": "/etc/decant/pgpass"}},
             "node": {"name": "crawler-2"}}
            """)
        #expect(config.queue.backend == .postgres)
        #expect(config.queue.postgres.url == "postgres://decant@db.example:5433/queue")
        #expect(config.queue.postgres.poolSize == 8)
        #expect(config.queue.postgres.passwordFile == "/etc/decant/pgpass")
        #expect(config.queue.leaseSeconds == 30)
        #expect(config.node.name == "crawler-2")
    }

    @Test(arguments: [
        (#"{"queue": {"backend": "mysql"}}"#, "queue.backend"),
        (#"{"queue": {"backend": "postgres"}}"#, "queue.postgres"),
        (#"{"queue": {"postgres": {"url": "postgres://decant:secret@db/queue"}}}"#, "queue.postgres.url"),
        (#"{"queue": {"postgres": {"url": "mysql://decant@db/queue"}}}"#, "queue.postgres.url"),
        (#"{"queue": {"postgres": {"url": "postgres://db/queue"}}}"#, "queue.postgres.url"),
        (#"{"queue": {"postgres": {"url": "postgres://decant@db"}}}"#, "queue.postgres.url"),
        (#"{"queue": {"postgres": {"passwordFile": ""}}}"#, "queue.postgres.passwordFile"),
        (#"{"queue": {"postgres": {"poolSize": 0}}}"#, "queue.postgres.poolSize"),
        (#"{"queue": {"postgres": {"host": "db"}}}"#, "queue.postgres.host"),
        (#"{"queue": {"leaseSeconds": 0.5}}"#, "queue.leaseSeconds"),
        (#"{"node": {"name": ""}}"#, "node.name"),
        (#"{"node": {"name": "a\nb"}}"#, "node.name"),
    ])
    func aBadClusterValueIsRefusedNamingItsKeyPath(json: String, keyPath: String) {
        do {
            _ = try Self.decode(json)
            Issue.record("accepted: \(json)")
        } catch let error as ConfigError {
            #expect(error.keyPath == keyPath, "\(error)")
            #expect(!"\(error)".contains("secret"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
