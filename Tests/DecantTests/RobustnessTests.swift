import Foundation
import Testing
@testable import DecantCore
@testable import DecantExtract

/// Bad input gets a clear error or an article, never a crash, a hang or unbounded memory.
@Suite struct RobustnessTests {
    static func outcome(_ data: Data, _ options: CleanConfig = CleanConfig()) -> Result<Article, ExtractError> {
        do { return .success(try Extractor(options: options).extract(data)) } catch { return .failure(error) }
    }

    @Test func emptyAndWhitespacePagesAreReportedEmpty() {
        #expect(throws: ExtractError.empty) { try Extractor().extract(Data()) }
        #expect(throws: ExtractError.empty) { try Extractor().extract(Data("  \n\t ".utf8)) }
    }

    @Test func binaryDataIsNotHTML() {
        var rng = SeededRandom(seed: 7)
        let noise = Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
        guard case .failure(.notHTML) = Self.outcome(noise) else { Issue.record("noise accepted"); return }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x41, count: 100))
        guard case .failure(.notHTML) = Self.outcome(png) else { Issue.record("png accepted"); return }
    }

    @Test func aPageOverTheSizeCapIsRefusedBeforeParsing() {
        var options = CleanConfig()
        options.maxPageBytes = 1000
        guard case .failure(.tooLarge(let bytes, let limit)) = Self.outcome(Data(count: 2000), options) else {
            Issue.record("not refused"); return
        }
        #expect(bytes == 2000 && limit == 1000)
    }

    @Test func aPageWithoutTextHasNoContent() {
        let page = Data("<html><body><nav><a href='/'>Home</a></nav><img src='x.png'></body></html>".utf8)
        guard case .failure(.noContent(let metadata)) = Self.outcome(page) else { Issue.record("content found"); return }
        #expect(metadata.text.isEmpty)
    }

    @Test func hundredThousandNestedElementsDoNotCrash() {
        let deep = String(repeating: "<div>", count: 100_000) + "<p>" + String(repeating: "Deep text, here. ", count: 30)
            + "</p>" + String(repeating: "</div>", count: 100_000)
        let unclosed = String(repeating: "<span><b>", count: 100_000) + String(repeating: "words ", count: 100)
        // The time budget is not under test here (debug builds on a loaded machine can need over 10 s).
        var patient = CleanConfig()
        patient.timeBudgetSeconds = 600
        for page in [deep, unclosed] {
            switch Self.outcome(Data(page.utf8), patient) {
            case .success(let article): #expect(!article.text.isEmpty)
            case .failure(let error):
                guard case .noContent = error else { Issue.record("\(error)"); break }
            }
        }
    }

    @Test func hundredThousandAttributesAreHandledQuickly() throws {
        let attrs = (0..<100_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let page = "<html><body><div \(attrs)><p>" + String(repeating: "Some text, with commas, here. ", count: 20)
            + "</p></div></body></html>"
        let article = try Extractor().extract(Data(page.utf8))
        #expect(article.text.contains("Some text, with commas"))
    }

    @Test func thousandsOfMutatedAndTruncatedPagesNeverCrash() throws {
        let seeds = try FixturePaths.cases(in: "cleaner").prefix(12).map { try FixturePaths.data("cleaner/\($0)/page.html") }
            + [try FixturePaths.data("seed-article/semantic.html")]
        var rng = SeededRandom(seed: 2024)
        var articles = 0, errors = 0
        for round in 0..<2_000 {
            var bytes = [UInt8](seeds[round % seeds.count])
            Mutation.apply(to: &bytes, using: &rng)
            switch Self.outcome(Data(bytes)) {
            case .success: articles += 1
            case .failure: errors += 1
            }
        }
        #expect(articles + errors == 2_000)
        #expect(articles > 500)
    }
}

/// Random edits that break HTML the ways real pages break.
enum Mutation {
    static func apply(to bytes: inout [UInt8], using rng: inout SeededRandom) {
        guard !bytes.isEmpty else { return }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = Int.random(in: 0..<max(1, bytes.count), using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes.removeSubrange(at...)  // truncate
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...500, using: &rng)))
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 3: bytes.insert(contentsOf: Array("<div><table><tr><td><p><b><i>".utf8), at: at)
            case 4: bytes.insert(contentsOf: Array("</div></p></table><!-- \"'<<>>&amp;&#xFFFFFF;".utf8), at: at)
            case 5:
                let end = min(bytes.count, at + Int.random(in: 1...2000, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: at)  // duplicate a range
            default: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
            }
            if bytes.isEmpty { return }
        }
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
