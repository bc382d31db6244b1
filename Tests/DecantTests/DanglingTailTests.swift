import Testing
@testable import Decant

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

struct CallToActionTests {
    private func p(_ s: String) -> ContentBlock { ContentBlock(kind: .paragraph, text: s) }
    private let story = String(repeating: "The council met and decided many things about the bridge. ", count: 10)

    @Test func aNewsletterPromptAtTheEndIsDropped() {
        let out = CallToAction.drop([p(story), p("Sign up for our newsletter to get the best stories every week!")])
        #expect(out.map(\.text) == [story])
    }

    @Test func aGermanFollowPromptAtTheEndIsDropped() {
        let out = CallToAction.drop([p(story), p("Folgen Sie uns auf Twitter und Facebook.")])
        #expect(out.count == 1)
    }

    @Test func aShortParagraphAboutSubscriptionsEarlyInTheStoryIsKept() {
        let blocks = [p("Subscriptions to the paper fell by half."), p(story)]
        #expect(CallToAction.drop(blocks) == blocks)
    }

    @Test func aLongParagraphMentioningANewsletterIsKept() {
        let long = "The newsletter, founded in 1998, " + String(repeating: "grew steadily over the years ", count: 10)
        let blocks = [p(story), p(long)]
        #expect(CallToAction.drop(blocks) == blocks)
    }
}
