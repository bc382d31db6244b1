import Foundation
import Testing
@testable import DecantExtract

struct ScoringParametersTests {
    @Test func everyParameterIsAddressableByItsName() {
        let names = Mirror(reflecting: ScoringParameters.standard).children.compactMap(\.label)
        #expect(Set(names) == Set(ScoringParameters.fields.keys))
        #expect(names.count == ScoringParameters.fields.count)
    }

    @Test func settingAParameterByNameChangesOnlyThatParameter() {
        for name in ScoringParameters.fields.keys {
            var p = ScoringParameters.standard
            let accepted = p.set(name, to: 7)
            #expect(accepted)
            #expect(p != .standard, "\(name)")
            let changed = zip(Mirror(reflecting: p).children, Mirror(reflecting: ScoringParameters.standard).children)
                .filter { "\($0.0.value)" != "\($0.1.value)" }.compactMap(\.0.label)
            #expect(changed == [name])
        }
    }

    @Test func unknownNamesAndFractionsForWholeNumbersAreRefused() {
        var p = ScoringParameters.standard
        let unknown = p.set("noSuchParameter", to: 1)
        let fraction = p.set("minParagraphText", to: 2.5)
        #expect(!unknown && !fraction)
        #expect(p == .standard)
    }

    @Test func theCleanerUsesTheParametersItIsGiven() throws {
        let story = String(repeating: "Words of a story, told here at some length. ", count: 12)
        let html = Data("""
            <html><body><article><p>\(story)</p><p>\(story)</p>
            <h2>Related articles</h2><p>\(story)</p></article></body></html>
            """.utf8)
        var extractor = Extractor()
        #expect(try !extractor.extract(html).text.contains("Related articles"))
        // A furniture heading is at most this long: at 0 none is, and the heading stays.
        extractor.parameters.furnitureHeadingText = 0
        #expect(try extractor.extract(html).text.contains("Related articles"))
    }
}
