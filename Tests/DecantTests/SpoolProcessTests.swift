import Foundation
import Testing
@testable import Decant

/// The built `decant` binary as a process: signals, exit codes, enqueue and status.
@Suite(.timeLimit(.minutes(2)))
struct SpoolProcessTests {
    let server: FaultServer
    let binary: String

    init() throws {
        server = try #require(FaultServer.shared, "python3 scripts/fault_server.py did not start")
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [nextToTests.appendingPathComponent("decant").path,
                          nextToTests.deletingLastPathComponent().appendingPathComponent("decant").path,
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                            .deletingLastPathComponent().appendingPathComponent(".build/debug/decant").path]
        binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                              "the decant binary is not built next to the tests")
    }

    /// Writes `config` as JSON next to the spool and returns its path.
    func writeConfig(_ spool: TestSpool, _ json: [String: Any]) throws -> String {
        let path = spool.folder + "/pipeline.json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return path
    }

    func baseConfig(_ spool: TestSpool, grace: Double = 5) -> [String: Any] {
        ["spool": spool.config.spool,
         "schedule": ["intervalSeconds": 1],
         "fetch": ["allowPrivateNetworks": true, "perHostDelayMs": 0, "obeyRobots": false, "retries": 0,
                   "timeoutSeconds": 20, "lowSpeedSeconds": 30],
         "queue": ["stableSeconds": 0, "shutdownGraceSeconds": grace]]
    }

    final class Run: @unchecked Sendable {  // the Process and pipe are only touched by the test that made them
        let process = Process()
        let errPipe = Pipe()
        var stderrText: String { String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    }

    func start(_ args: [String]) throws -> Run {
        let run = Run()
        run.process.executableURL = URL(fileURLWithPath: binary)
        run.process.arguments = args
        run.process.standardError = run.errPipe
        run.process.standardOutput = FileHandle.nullDevice
        try run.process.run()
        return run
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func sigtermLetsInFlightPagesFinishAndExitsZero() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let config = try writeConfig(spool, baseConfig(spool, grace: 10))
        let run = try start(["run", "--config", config])
        // /slow answers after 200 ms: in flight when SIGTERM arrives, finished within the grace period.
        let urls = (0..<4).map { server.url("/slow?key=term-\($0)") }
        try spool.drop("job", urls.joined(separator: "\n") + "\n")
        #expect(try await waitFor(10) { !SpoolLayout.visibleNames(in: spool.layout.work).isEmpty
            || !SpoolLayout.visibleNames(in: spool.layout.out).isEmpty })
        run.process.terminate()
        run.process.waitUntilExit()
        let log = run.stderrText
        #expect(run.process.terminationStatus == 0, "\(log)")
        #expect(log.contains("stopping"), "\(log)")
        #expect(log.contains("spool service stopped"), "\(log)")
        #expect(spool.files(spool.layout.out).count + (try Journal(path: spool.layout.journal).counts()["pending"] ?? 0) == 4)
    }

    @Test func sigtermAfterTheGracePeriodReturnsUnfinishedPagesToTheQueue() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let config = try writeConfig(spool, baseConfig(spool, grace: 0.5))
        let run = try start(["run", "--config", config])
        try spool.drop("job", server.url("/never?key=grace") + "\n")
        #expect(try await waitFor(10) { SpoolLayout.visibleNames(in: spool.layout.work).isEmpty
            && FileManager.default.fileExists(atPath: spool.layout.journal)
            && (try? Journal(path: spool.layout.journal).counts()["inflight"]) == 1 })
        let start = Date()
        run.process.terminate()
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(try Journal(path: spool.layout.journal).counts() == ["pending": 1])
        #expect(run.stderrText.contains("returned to the queue"))
    }

    @Test func sighupReloadsTheConfigurationAndKeepsTheOldOneWhenInvalid() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        var json = baseConfig(spool)
        let config = try writeConfig(spool, json)
        let run = try start(["run", "--config", config])
        #expect(try await waitFor(10) { FileManager.default.fileExists(atPath: spool.layout.statusFile) })
        try Data(#"{"queue": {"stableSecs": 1}}"#.utf8).write(to: URL(fileURLWithPath: config))
        kill(run.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(400))
        json["output"] = ["formats": ["json"]]
        _ = try writeConfig(spool, json)
        kill(run.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(400))
        // Still running, and the new configuration (JSON only) applies to new work.
        #expect(run.process.isRunning)
        try spool.drop("job", server.url("/article/hup") + "\n")
        #expect(try await waitFor(10) { spool.files(spool.layout.out).count == 1 })
        #expect(spool.files(spool.layout.out, suffix: ".md").isEmpty)
        run.process.terminate()
        run.process.waitUntilExit()
        let log = run.stderrText
        #expect(log.contains("configuration reload failed"), "\(log)")
        #expect(log.contains("queue.stableSecs"), "\(log)")
        #expect(log.contains("configuration reloaded"), "\(log)")
        #expect(run.process.terminationStatus == 0)
    }

    @Test func aFileDroppedIntoTheInboxIsPickedUpWithoutWaitingForTheRescan() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        var json = baseConfig(spool)
        json["schedule"] = ["intervalSeconds": 120]
        let config = try writeConfig(spool, json)
        let run = try start(["run", "--config", config])
        #expect(try await waitFor(10) { FileManager.default.fileExists(atPath: spool.layout.statusFile) })
        try await Task.sleep(for: .milliseconds(200))
        let dropped = Date()
        try spool.drop("prompt", server.url("/article/inotify") + "\n")
        #expect(try await waitFor(5) { spool.files(spool.layout.out).count == 1 })
        #expect(Date().timeIntervalSince(dropped) < 5)
        run.process.terminate()
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 0)
    }

    @Test func aCarelessProducerAppendingToAnInboxFileIsNotReadHalfWay() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        var json = baseConfig(spool)
        json["schedule"] = ["intervalSeconds": 0.2]
        json["queue"] = ["stableSeconds": 1, "shutdownGraceSeconds": 5]
        let config = try writeConfig(spool, json)
        let run = try start(["run", "--config", config])
        #expect(try await waitFor(10) { FileManager.default.fileExists(atPath: spool.layout.statusFile) })
        // echo >> inbox/careless, three times, 400 ms apart: never quiet for a whole second.
        let path = "\(spool.layout.inbox)/careless"
        for k in 0..<3 {
            let handle = FileHandle(forWritingAtPath: path) ?? {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                return FileHandle(forWritingAtPath: path)!
            }()
            handle.seekToEndOfFile()
            handle.write(Data((server.url("/article/careless-\(k)") + "\n").utf8))
            try handle.close()
            try await Task.sleep(for: .milliseconds(400))
            #expect(FileManager.default.fileExists(atPath: path), "claimed while still being written")
        }
        #expect(try await waitFor(10) { spool.files(spool.layout.out).count == 3 })
        run.process.terminate()
        run.process.waitUntilExit()
        let log = run.stderrText
        #expect(log.components(separatedBy: "claimed job").count == 2, "\(log)")
    }

    @Test func aBadConfigurationAtStartExitsTwoNamingTheKeyPath() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let path = spool.folder + "/bad.json"
        try Data(#"{"queue": {"maxAttempts": "five"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let run = try start(["run", "--once", "--config", path])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 2)
        #expect(run.stderrText.contains("queue.maxAttempts"))
    }

    @Test func enqueueRunOnceAndStatusWorkTogether() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let config = try writeConfig(spool, baseConfig(spool))
        let enqueue = try start(["enqueue", "--config", config, server.url("/article/cli-1"), server.url("/status/410?n=cli")])
        enqueue.process.waitUntilExit()
        #expect(enqueue.process.terminationStatus == 0)
        let run = try start(["run", "--once", "--config", config])
        run.process.waitUntilExit()
        let log = run.stderrText
        #expect(run.process.terminationStatus == 0, "\(log)")
        #expect(log.contains("delivered \(server.url("/article/cli-1"))"))
        #expect(log.contains("failed \(server.url("/status/410?n=cli"))"))
        let status = Process()
        status.executableURL = URL(fileURLWithPath: binary)
        status.arguments = ["status", "--json", "--config", config]
        let out = Pipe()
        status.standardOutput = out
        try status.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        status.waitUntilExit()
        let decoded = try JSONDecoder().decode(SpoolStatus.self, from: data)
        #expect(decoded.folders["out"] == 1)
        #expect(decoded.folders["failed"] == 1)
        #expect(decoded.urls["delivered"] == 1)
        #expect(decoded.recentFailures.first?.reason.contains("410") == true)
    }
}
