import Testing
@testable import DecantExtract

struct DanglingTailTests {
    private func p(_ s: String) -> ContentBlock { ContentBlock(kind: .paragraph, text: s) }
    private func h(_ s: String) -> ContentBlock { ContentBlock(kind: .heading(level: 2), text: s) }

    @Test func aColonLeadInWithNothingAfterItIsDropped() {
        let out = DanglingTail.trim([p("The story itself, long enough."), p("More on this topic:")])
        #expect(out.map(\.text) == ["The story itself, long enough."])
    }

    @Test func aTrailingHeadingAndItsImageAreDropped() {
        let img = ContentBlock(kind: .image(src: "a.jpg", alt: ""), text: "")
        let out = DanglingTail.trim([p("Body text."), h("Further reading"), img])
        #expect(out.map(\.text) == ["Body text."])
    }

    @Test func aLeadInFollowedByContentIsKept() {
        let blocks = [p("Ingredients:"), p("Two eggs and some flour.")]
        #expect(DanglingTail.trim(blocks) == blocks)
    }

    @Test func aSentenceHeadingAtTheEndIsKept() {
        let blocks = [p("Body text."), h("He kept his version of events.")]
        #expect(DanglingTail.trim(blocks) == blocks)
    }

    @Test func theOnlyBlockIsNeverDropped() {
        #expect(DanglingTail.trim([h("Contact:")]).count == 1)
    }
}
