import Foundation
import Testing
@testable import Decant

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

    @Test func anOutOfRangeValueIsRejectedWithItsPath() {
        #expect(throws: ConfigError.invalidValue(keyPath: "fetch.concurrency", reason: "must be at least 1")) {
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
}
