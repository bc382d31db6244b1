import Testing
@testable import DecantExtract

struct PromotionFilterTests {
    private func p(_ s: String) -> ContentBlock { ContentBlock(kind: .paragraph, text: s) }
    private let story = String(repeating: "The council met and decided many things about the bridge. ", count: 10)

    @Test func aNewsletterPromptAtTheEndIsDropped() {
        let out = PromotionFilter.drop([p(story), p("Sign up for our newsletter to get the best stories every week!")])
        #expect(out.map(\.text) == [story])
    }

    @Test func aGermanFollowPromptAtTheEndIsDropped() {
        let out = PromotionFilter.drop([p(story), p("Folgen Sie uns auf Twitter und Facebook.")])
        #expect(out.count == 1)
    }

    @Test func aShortParagraphAboutSubscriptionsEarlyInTheStoryIsKept() {
        let blocks = [p("Subscriptions to the paper fell by half."), p(story)]
        #expect(PromotionFilter.drop(blocks) == blocks)
    }

    @Test func aLongParagraphMentioningANewsletterIsKept() {
        let long = "The newsletter, founded in 1998, " + String(repeating: "grew steadily over the years ", count: 10)
        let blocks = [p(story), p(long)]
        #expect(PromotionFilter.drop(blocks) == blocks)
    }

    @Test func anAffiliateDisclosureAtTheStartIsDropped() {
        let out = PromotionFilter.drop([p("Anzeige, enthält Affiliate Links"), p(story)])
        #expect(out.map(\.text) == [story])
    }

    @Test func aShortNewsletterLineIsDroppedWhereverItStands() {
        let out = PromotionFilter.drop([p("Get the Daily Harbour newsletter"), p(story)])
        #expect(out.map(\.text) == [story])
    }
}

struct PhraseMatcherTests {
    @Test func aPhraseIsFoundAnywhereInTheKeyAndOnlyWhole() {
        let m = PhraseMatcher(["sign up", "Affiliate-Links", "ünïcode"])
        #expect(m.matches("please sign up today"))
        #expect(m.matches("enthält affiliate links"))
        #expect(m.matches("x ünïcode"))
        #expect(!m.matches("sign u"))
        #expect(!m.matches("signup"))
    }
}
