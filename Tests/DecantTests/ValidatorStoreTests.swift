import Foundation
import Testing
@testable import DecantCore
@testable import DecantFetch

@Suite struct ValidatorStoreTests {
    @Test func validatorsAreRememberedPerURLInTheSpoolAndForgottenWhenGone() throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("decant-spool-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        var config = PipelineConfig()
        config.spool = spool
        let store = try #require(try ValidatorStore.open(for: config))
        #expect(FileManager.default.fileExists(atPath: spool + "/validators.sqlite"))
        #expect(store.validators(for: "https://a.example/") == nil)
        store.remember(.init(etag: "\"v1\"", lastModified: nil), for: "https://a.example/")
        let v = try #require(store.validators(for: "https://a.example/"))
        #expect(v.requestHeaders == ["If-None-Match: \"v1\""])
        #expect(store.validators(for: "https://b.example/") == nil)
        store.remember(.init(etag: nil, lastModified: nil), for: "https://a.example/")
        #expect(store.validators(for: "https://a.example/") == nil)
    }

    @Test func anEmptyDatabaseSettingDisablesConditionalRequests() throws {
        var config = PipelineConfig()
        config.fetch.validatorsDatabase = ""
        #expect(try ValidatorStore.open(for: config) == nil)
    }
}
