import CLibXML2
import Foundation
import Testing
@testable import DecantCore
@testable import DecantHTML
@testable import DecantExtract
import DecantTestSupport

/// The attribute limit reads markup as libxml2 does: it cuts where libxml2 would parse attributes, nowhere else.
@Suite struct TagLimiterTests {
    static func limited(_ html: String, attributesPerTag: Int) throws -> String {
        var limits = ExtractLimits()
        limits.attributesPerTag = attributesPerTag
        let bytes = Array(html.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            let plan = try TagLimiter.plan(buf, limits: limits)
            return String(decoding: TagLimiter.apply(plan, to: buf), as: UTF8.self)
        }
    }

    /// The most attributes any element of `html` has once libxml2 has parsed the limited bytes.
    static func mostAttributesAfterParsing(_ html: String, attributesPerTag: Int) throws -> Int {
        var limits = ExtractLimits()
        limits.attributesPerTag = attributesPerTag
        let doc = try HTMLDocument(bytes: Data(html.utf8), declaredCharset: "utf-8", url: nil, maxBytes: 50_000_000,
                                   limits: limits, deadline: ExtractDeadline(seconds: 60))
        guard let root = doc.root else { return 0 }
        var most = 0
        var cur: Node? = root
        while let n = cur {
            if n.isElement {
                var count = 0
                var a = n.raw.pointee.properties
                while let attr = a { count += 1; a = attr.pointee.next }
                most = max(most, count)
            }
            if n.isElement, let child = n.firstChild { cur = child; continue }
            cur = n.nextInPreorder(within: root)
        }
        return most
    }

    @Test func attributesPastTheLimitAreDroppedWhateverTheirValues() throws {
        let tag = #"<div a0 a1="x > y" a2='<' a3=z a4="v" a5>t</div>"#
        #expect(try Self.limited(tag, attributesPerTag: 4) == #"<div a0 a1="x > y" a2='<' a3=z >t</div>"#)
        #expect(try Self.limited("<img a b c d/>", attributesPerTag: 2) == "<img a b />")
    }

    @Test func aTagOfTwentyThousandQuotedLessThanValuesKeepsTheLimit() throws {
        // Issue 7: values holding '<' hid such tags from the old byte-length check (149 s for 100,000).
        let attrs = (0..<20_000).map { "a\($0)=\"<\"" }.joined(separator: " ")
        let page = "<html><body><div \(attrs)><p>" + String(repeating: "Some text, with commas, here. ", count: 20)
            + "</p></div></body></html>"
        #expect(try Self.mostAttributesAfterParsing(page, attributesPerTag: 256) == 256)
        let article = try Extractor().extract(Data(page.utf8))
        #expect(article.text.contains("Some text, with commas"))
    }

    @Test func markupThatLibxml2ReadsAsTextIsLeftAlone() throws {
        let many = (0..<10).map { "a\($0)" }.joined(separator: " ")
        let pages = [
            "<script>if (a<b \(many) c) {}</script><p>x</p>",
            "<style>p<b \(many) {}</style>",
            "<!-- <b \(many)> --><p>x</p>",
            "<!-- <b \(many) --!><p>x</p>",
            "<p title=\"<b \(many)>\">x</p>",
            "<!DOCTYPE html PUBLIC \"<b \(many)>\" \"<i \(many)>\"><p>x</p>",
            "<?php <b \(many)> ?><p>x</p>",
            "<script type=\"text/template\"><div \(many)></div></script>",
        ]
        for page in pages {
            #expect(try Self.limited(page, attributesPerTag: 3) == page, "\(page)")
        }
    }

    @Test func noTagEscapesTheLimitBehindConstructsLibxml2EndsEarly() throws {
        // Each prefix ends (for libxml2) before the tag that follows it; the tag must still be limited.
        let tag = "<div " + (0..<500).map { "a\($0)" }.joined(separator: " ") + ">t</div>"
        let prefixes = [
            "", "<b><script></b>", "<script>a</scriptx>", "<script></x>", "<script><noscript>", "<style><body>",
            "<!DOCTYPE a\u{D7} PUBLIC \"", "<!DOCTYPE x y \"", "<!DOCTYPE \u{E9} SYSTEM \">", "<?\u{E9} ", "<?1 ",
            "<!x ", "<!---->", "<!-- --!>", "</ x ", "<p a=\"x\"b=\"y\" c=d\"e ", "<p \"a>", "<![CDATA[ ",
            "<" + String(repeating: "n", count: 150) + " ", "<p " + String(repeating: "m", count: 150) + ">",
        ]
        for prefix in prefixes {
            let page = "<html><body>" + prefix + tag + "</body></html>"
            #expect(try Self.mostAttributesAfterParsing(page, attributesPerTag: 10) <= 10, "\(prefix)")
        }
    }

    @Test func mutatedRealPagesNeverGiveLibxml2MoreAttributesThanTheLimit() throws {
        let seeds = try FixturePaths.cases(in: "cleaner").prefix(8).map { try FixturePaths.data("cleaner/\($0)/page.html") }
        let hostile = Array(("<div " + (0..<40).map { "a\($0)=\"<\" b\($0)='>'" }.joined(separator: " ") + ">").utf8)
        var rng = SeededRandom(seed: 77)
        for round in 0..<300 {
            var bytes = [UInt8](seeds[round % seeds.count])
            Mutation.apply(to: &bytes, using: &rng)
            bytes.insert(contentsOf: hostile, at: Int.random(in: 0...bytes.count, using: &rng))
            let page = String(decoding: bytes, as: UTF8.self)
            #expect(try Self.mostAttributesAfterParsing(page, attributesPerTag: 5) <= 5)
        }
    }

    @Test func realPagesAreNotChanged() throws {
        for name in FixturePaths.cases(in: "cleaner") {
            let bytes = [UInt8](try FixturePaths.data("cleaner/\(name)/page.html"))
            let plan = try bytes.withUnsafeBufferPointer { buf throws(HTMLError) in try TagLimiter.plan(buf, limits: .standard) }
            #expect(plan.cuts.isEmpty && plan.length == bytes.count, "\(name)")
        }
    }

    @Test func aCommentThatNeverEndsIsNotHandedToTheParser() throws {
        // libxml2 drops a comment that never ends, with the rest of the page after it.
        let head = "<html><body><p>" + String(repeating: "Kept words, with commas. ", count: 20) + "</p>"
        let page = head + "<!-- " + String(repeating: "<p>lost</p>", count: 1000)
        let plan = try Array(page.utf8).withUnsafeBufferPointer { buf throws(HTMLError) in
            try TagLimiter.plan(buf, limits: .standard)
        }
        #expect(plan.length == head.utf8.count)
        let article = try Extractor().extract(Data(page.utf8))
        #expect(article.text.contains("Kept words") && !article.text.contains("lost"))
    }
}

/// The node limit and the time budget fail a page with a reason instead of taking minutes or gigabytes.
@Suite struct PageBudgetTests {
    static func extractor(budget: Double = 10) -> Extractor {
        var options = CleanConfig()
        options.timeBudgetSeconds = budget
        return Extractor(options: options)
    }

    @Test func aPageWithMoreNodesThanTheLimitFailsBeforeParsing() throws {
        var limits = ExtractLimits()
        limits.nodes = 50_000
        let pages = [String(repeating: "<p>w</p>", count: 60_000), String(repeating: "<!---->", count: 60_000),
                     "<div " + (0..<200).map { "a\($0)" }.joined(separator: " ") + ">" + String(repeating: "<i a b>x</i>", count: 20_000)]
        for page in pages {
            #expect(throws: ExtractError.tooManyNodes(limit: 50_000)) {
                try Self.extractor().parse(Data(page.utf8), declaredCharset: nil, url: nil,
                                           deadline: ExtractDeadline(seconds: 60), limits: limits)
            }
        }
    }

    @Test func theStandardNodeLimitFailsAPageOfMillionsOfTinyElements() {
        // Issue 7: 45 MB of <p>w</p> took 2.36 GB; 5 MB of it is over the limit.
        let page = Data(String(repeating: "<p>w</p>", count: ExtractLimits.standard.nodes + 1000).utf8)
        #expect(throws: ExtractError.tooManyNodes(limit: ExtractLimits.standard.nodes)) {
            try Extractor().extract(page)
        }
    }

    @Test func theParserItselfStopsAtTheNodeLimit() throws {
        let bytes = Array(String(repeating: "<p>w</p>", count: 1000).utf8)
        let parser = try #require(bytes.withUnsafeBytes { HTMLParser(copying: $0, url: nil, options: HTMLDocument.parseOptions) })
        guard case .failure(.nodeLimit) = parser.parse(maxNodes: 500, seconds: 60) else {
            Issue.record("the parse did not stop"); return
        }
    }

    /// 2,000 open elements, then end tags matching none: libxml2 compares each with every open
    /// element's long name (about 4 s for these 3 MB without a budget).
    static let slowPage = "<html><body>" + String(repeating: "<" + String(repeating: "a", count: 90) + ">", count: 2000)
        + String(repeating: "</" + String(repeating: "a", count: 89) + "b>", count: 30_000)

    @Test func aPageThatOutrunsTheTimeBudgetFailsWhileParsing() {
        let start = ContinuousClock.now
        #expect(throws: ExtractError.timeBudgetExceeded(stage: .parse, seconds: 0.5)) {
            try Self.extractor(budget: 0.5).extract(Data(Self.slowPage.utf8))
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func theCleanerChecksTheBudgetBetweenAttempts() throws {
        // Too little text for the first attempt, so the cleaner would try weaker rules next.
        let doc = try HTMLDocument(bytes: Data("<html><body><p>Short text.</p></body></html>".utf8))
        let metadata = MetadataReader.read(doc, pageURL: nil)
        let expired = ExtractDeadline(seconds: 0)
        #expect(throws: ExtractError.timeBudgetExceeded(stage: .clean, seconds: 0)) {
            try Cleaner(options: CleanConfig()).clean(doc, metadata: metadata, deadline: expired)
        }
    }

    @Test func theErrorSaysWhichStageRanOutOfTime() {
        let error = ExtractError.timeBudgetExceeded(stage: .parse, seconds: 10)
        #expect(error.description == "time budget exceeded: 10 s (clean.timeBudgetSeconds) ran out in the parse stage")
        #expect(ExtractError.tooManyNodes(limit: 5).description.contains("more than 5 elements, attributes and comments"))
    }

    @Test func aParseFailureKeepsItsCaseAcrossTheHTMLBoundary() {
        #expect(throws: HTMLError.tooManyNodes(limit: 10)) {
            try HTMLDocument(bytes: Data(String(repeating: "<p>w</p>", count: 20).utf8), declaredCharset: nil, url: nil,
                             maxBytes: 1000, limits: { var l = ExtractLimits(); l.nodes = 10; return l }(), deadline: ExtractDeadline(seconds: 60))
        }
        #expect(ExtractError(HTMLError.tooManyNodes(limit: 10)) == .tooManyNodes(limit: 10))
        #expect(ExtractError(HTMLError.timeBudgetExceeded(stage: .decode, seconds: 1))
            == .timeBudgetExceeded(stage: .decode, seconds: 1))
        #expect(ExtractError(HTMLError.notHTML(reason: "binary data")) == .notHTML(reason: "binary data"))
    }

    @Test func theTimeBudgetIsAConfigOptionWithARange() throws {
        #expect(try PipelineConfig.decode(Data("{}".utf8)).clean.timeBudgetSeconds == 10)
        #expect(try PipelineConfig.decode(Data(#"{"clean": {"timeBudgetSeconds": 2.5}}"#.utf8)).clean.timeBudgetSeconds == 2.5)
        for bad in ["0", "-1", "3601", "1e300"] {
            #expect(throws: ConfigError.invalidValue(keyPath: "clean.timeBudgetSeconds", reason: "must be in the range 0.001–3600")) {
                try PipelineConfig.decode(Data(#"{"clean": {"timeBudgetSeconds": \#(bad)}}"#.utf8))
            }
        }
    }
}

/// Bytes libxml2 would mis-read are replaced, and clean UTF-8 is not copied.
@Suite struct TranscoderReplacementTests {
    @Test func noncharactersBecomeReplacementCharacters() {
        let bytes: [UInt8] = Array("a\u{FFFE}b\u{FFFF}c\u{0001}".utf8)
        let out = bytes.withUnsafeBytes { Transcoder.toUTF8($0, charset: Charset(encoding: .utf8, source: .declared)) }
        #expect(String(decoding: out, as: UTF8.self) == "a\u{FFFD}b\u{FFFD}c ")
    }

    @Test func aControlOrNoncharacterIsFoundAtEveryOffsetOfAWord() {
        let filler = Array("<p>text, caf\u{E9}\n\t".utf8)
        for bad in [[UInt8(0x01)], [0x00], [0x1F], [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF]] as [[UInt8]] {
            for offset in 0..<20 {
                var page = Array(filler.prefix(offset)) + bad + filler
                #expect(page.withUnsafeBytes { Transcoder.needsReplacements($0) }, "\(bad) at \(offset)")
                page = Array(filler.prefix(offset)) + [0xEF, 0xBF, 0xBD] + filler
                #expect(!page.withUnsafeBytes { Transcoder.needsReplacements($0) }, "U+FFFD at \(offset)")
            }
        }
    }

    @Test func cleanUTF8NeedsNoCopy() {
        let clean = Array("<p>caf\u{E9} \u{FF0C} ok</p>\n".utf8)
        #expect(clean.withUnsafeBytes { Transcoder.toUTF8IfChanged($0, charset: Charset(encoding: .utf8, source: .declared)) } == nil)
        let dirty = Array("<p>a\u{0000}b</p>".utf8)
        #expect(dirty.withUnsafeBytes { Transcoder.toUTF8IfChanged($0, charset: Charset(encoding: .utf8, source: .declared)) }
                == Array("<p>a b</p>".utf8))
    }
}

/// `decant extract` reports a page over its limits with the reason and exit code 1.
@Suite struct ExtractCommandLimitTests {
    @Test func aPageOverTheTimeBudgetExitsOneWithTheReason() throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decant-budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("slow.html")
        try Data(PageBudgetTests.slowPage.utf8).write(to: page)
        let config = folder.appendingPathComponent("pipeline.json")
        try Data(#"{"clean": {"timeBudgetSeconds": 0.5}}"#.utf8).write(to: config)
        let (status, _, text) = try ChildProcess.run(binary, ["extract", page.path, "--config", config.path])
        #expect(status == 1)
        #expect(text.contains("slow.html: time budget exceeded: 0.5 s (clean.timeBudgetSeconds) ran out in the parse stage"), "\(text)")
    }
}
