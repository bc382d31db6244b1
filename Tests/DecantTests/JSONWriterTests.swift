import Foundation
import Testing
import DecantCore
@testable import DecantExtract
@testable import DecantSpool

/// The one JSON writer: byte for byte what `JSONEncoder` wrote for the spool's records.
struct JSONWriterTests {
    static let tricky = "Quote \" backslash \\ tab\tnewline\n slash / ünïcödé 日本 \u{1F600}"

    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static let deferred = Delivery.URLRecord(url: "https://a.example/x?y=1", status: 429, error: tricky, attempts: 3,
                                             firstSeen: "2026-11-28T12:00:00Z", lastTry: "2026-11-28T12:05:00Z",
                                             nextTry: "2026-11-28T12:10:00Z", failedAt: nil, metadata: nil)

    @Test func aDeferredRecordIsTheBytesJSONEncoderWrote() throws {
        #expect(Delivery.json(Self.deferred) == (try Self.foundation(Self.deferred, pretty: true)) + Data("\n".utf8))
    }

    @Test func aJobFailureIsTheBytesJSONEncoderWrote() throws {
        let record = Delivery.JobFailure(job: "a.txt", line: 7, text: "not a url", error: Self.tricky,
                                         failedAt: "2026-11-28T12:00:00Z", file: nil)
        #expect(Delivery.json(record) == (try Self.foundation(record, pretty: true)) + Data("\n".utf8))
        #expect(Delivery.json(record, style: .compact) == (try Self.foundation(record, pretty: false)) + Data("\n".utf8))
    }

    @Test func nestedArraysObjectsAndNumbersAreLaidOutAsJSONEncoderDoes() throws {
        struct Inner: Encodable { var b: Bool; var d: Double; var n: Int?; var empty: [Int] }
        struct Outer: Encodable { var list: [Inner]; var map: [String: Int]; var none: [String: Int]; var half: Double }
        let value = Outer(list: [Inner(b: true, d: 2, n: nil, empty: [1]), Inner(b: false, d: -0.25, n: 5, empty: [2, 3])],
                          map: ["z": 1, "a": 2], none: ["k": 4], half: 0.5)
        #expect(try JSONValueEncoder().encode(value) == (try Self.foundation(value, pretty: true)))
        #expect(try JSONValueEncoder(style: .compact).encode(value) == (try Self.foundation(value, pretty: false)))
    }

    @Test func emptyArraysAndObjectsAreWrittenOnOneLine() throws {
        struct Empty: Encodable { var list: [Int] = []; var map: [String: Int] = [:] }
        #expect(String(decoding: try JSONValueEncoder().encode(Empty()), as: UTF8.self)
                == "{\n  \"list\" : [],\n  \"map\" : {}\n}")
    }

    @Test func aFailedRecordWithMetadataDecodesToTheSameRecord() throws {
        var record = Self.deferred
        record.nextTry = nil
        record.failedAt = "2026-11-28T13:00:00Z"
        record.metadata = ArticleJSONWriterTests.article(http: true)
        #expect(try JSONDecoder().decode(Delivery.URLRecord.self, from: Delivery.json(record)) == record)
    }
}
