import Foundation
import Testing
@testable import Decant

/// RFC 9309 parsing and matching, without a network.
@Suite struct RobotsTests {
    func robots(_ text: String, agent: String = "Decant/0.1 (+https://example.org)") -> Robots {
        Robots(parsing: Data(text.utf8), userAgent: agent)
    }

    @Test func theLongestMatchWinsAndAllowWinsATie() {
        // RFC 9309 §2.2.2 examples.
        let r = robots("""
            User-agent: *
            Allow: /example/page/
            Disallow: /example/page/disallowed.gif
            Disallow: /example/
            Allow: /tie
            Disallow: /tie
            """)
        #expect(r.isAllowed("/example/page/index.html"))
        #expect(!r.isAllowed("/example/page/disallowed.gif"))
        #expect(!r.isAllowed("/example/other"))
        #expect(r.isAllowed("/tie"))
        #expect(r.isAllowed("/elsewhere"))
        #expect(r.verdict(for: "/example/x") == Robots.Verdict(allowed: false, rule: "Disallow: /example/"))
    }

    @Test func wildcardsAndEndAnchorsMatchAsSpecified() {
        let r = robots("""
            User-agent: *
            Disallow: /*.gif$
            Disallow: /private*/
            Disallow: /exact$
            Allow: /private-ok/
            """)
        #expect(!r.isAllowed("/images/a.gif"))
        #expect(r.isAllowed("/images/a.gif?x=1"))
        #expect(!r.isAllowed("/private-area/x"))
        #expect(r.isAllowed("/private-ok/x"))
        #expect(!r.isAllowed("/exact"))
        #expect(r.isAllowed("/exact/more"))
        #expect(Robots.matches(pattern: "/fish*$", path: "/fish/anything"))
        #expect(Robots.matches(pattern: "*", path: "/"))
        #expect(!Robots.matches(pattern: "/a*b*c$", path: "/a-b-c-d"))
        #expect(Robots.matches(pattern: "/a*b*c$", path: "/a-b-b-c"))
    }

    @Test func theGroupOfOurProductTokenBeatsTheWildcardGroup() {
        let r = robots("""
            User-agent: *
            Disallow: /

            User-agent: decant
            Disallow: /private
            """)
        #expect(r.isAllowed("/public"))
        #expect(!r.isAllowed("/private/x"))
        #expect(!robots("User-agent: *\nDisallow: /\n\nUser-agent: other\nAllow: /", agent: "Bot/1").isAllowed("/x"))
    }

    @Test func groupsForTheSameAgentAreCombinedAndSharedAgentLinesCount() {
        let r = robots("""
            User-agent: Other
            User-agent: Decant
            Disallow: /a

            User-agent: Decant
            Disallow: /b
            Crawl-delay: 2.5
            """)
        #expect(!r.isAllowed("/a"))
        #expect(!r.isAllowed("/b"))
        #expect(r.isAllowed("/c"))
        #expect(r.crawlDelay == 2.5)
    }

    @Test func anEmptyDisallowAllowsEverythingAndRobotsTxtIsAlwaysAllowed() {
        #expect(robots("User-agent: *\nDisallow:\n").isAllowed("/anything"))
        #expect(robots("User-agent: *\nDisallow: /\n").isAllowed("/robots.txt"))
        #expect(robots("").isAllowed("/x"))
        #expect(robots("garbage without colons\n\u{0}\u{1}").isAllowed("/x"))
    }

    @Test func commentsCaseAndPercentEncodingAreNormalised() {
        let r = robots("""
            USER-AGENT: *   # everyone
            disallow: /Ä/   # non-ASCII is percent-encoded
            Disallow: /%7esecret
            """)
        #expect(!r.isAllowed("/%C3%84/page"))
        #expect(!r.isAllowed("/%c3%84/page"))
        #expect(!r.isAllowed("/%7Esecret"))
        #expect(r.isAllowed("/a/page"))
    }

    @Test func theUnavailableAndMissingDefaultsAreAllOrNothing() {
        #expect(!Robots.disallowAll.isAllowed("/"))
        #expect(!Robots.disallowAll.isAllowed("/any"))
        #expect(Robots.allowAll.isAllowed("/any"))
    }
}
