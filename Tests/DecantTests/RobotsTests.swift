import Foundation
import Testing
@testable import DecantFetch

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

    static let lineEndings: [(String, [String])] = [
        ("LF", ["\n"]), ("CRLF", ["\r\n"]), ("CR", ["\r"]), ("mixed", ["\n", "\r\n", "\r", "\r\n", "\n"]),
    ]

    @Test(arguments: lineEndings.indices, [false, true])
    func everyLineEndingGivesTheSameRulesWithOrWithoutAByteOrderMark(_ index: Int, _ bom: Bool) {
        let (name, endings) = Self.lineEndings[index]
        let lines = ["User-agent: *", "Disallow: /private", "Allow: /private/open", "", "User-agent: decant",
                     "Disallow: /secret", "Crawl-delay: 2", "# the end"]
        var text = ""
        for (i, line) in lines.enumerated() { text += line + endings[i % endings.count] }
        let bytes = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
        let r = Robots(parsing: Data(bytes), userAgent: "Decant/0.1")
        #expect(r.rules == [Robots.Rule(allow: false, pattern: "/secret")], "\(name), BOM \(bom)")
        #expect(r.crawlDelay == 2, "\(name), BOM \(bom)")
        let other = Robots(parsing: Data(bytes), userAgent: "Other/1")
        #expect(!other.isAllowed("/private/x") && other.isAllowed("/private/open/x"), "\(name), BOM \(bom)")
    }

    @Test func aByteOrderMarkIsSkippedOnlyAtTheStart() {
        // Google's ID_UTF8ByteOrderMarkIsSkipped: the whole mark or its start is skipped; a broken one,
        // or one in the middle of the file, spoils its line.
        func rules(_ prefix: [UInt8], _ middle: [UInt8] = []) -> [Robots.Rule] {
            let bytes = prefix + Array("User-Agent: foo\n".utf8) + middle + Array("Disallow: /AnyValue\n".utf8)
            return Robots(parsing: Data(bytes), userAgent: "foo").rules
        }
        let rule = [Robots.Rule(allow: false, pattern: "/AnyValue")]
        #expect(rules([0xEF, 0xBB, 0xBF]) == rule)
        #expect(rules([0xEF, 0xBB]) == rule)
        #expect(rules([0xEF]) == rule)
        #expect(rules([0xEF, 0x11, 0xBF]).isEmpty, "the first line is garbage")
        #expect(rules([], [0xEF, 0xBB, 0xBF]).isEmpty, "a mark in the middle spoils its line")
    }

    @Test func googlesRFC9309CasesHold() {
        func allowed(_ text: String, _ agent: String, _ path: String) -> Bool {
            Robots(parsing: Data(text.utf8), userAgent: agent).isAllowed(path)
        }
        // ID_LineSyntax_Groups
        let groups = "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\n"
            + "disallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n"
        #expect(allowed(groups, "FooBot", "/x/b"))
        #expect(allowed(groups, "FooBot", "/z/d"))
        #expect(!allowed(groups, "FooBot", "/y/c"))
        #expect(allowed(groups, "BarBot", "/y/c"))
        #expect(allowed(groups, "BarBot", "/w/a"))
        #expect(!allowed(groups, "BarBot", "/z/d"))
        #expect(allowed(groups, "BazBot", "/z/d"))
        #expect(!allowed(groups, "FooBot", "/foo/bar/"))
        // ID_REPLineNamesCaseInsensitive, ID_UserAgentValueCaseInsensitive
        #expect(!allowed("uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n", "FooBot", "/a/b"))
        #expect(allowed("User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n", "foo", "/x/y"))
        // ID_GlobalGroups_Secondary
        #expect(!allowed("user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", "FooBot", "/x/y"))
        #expect(allowed("user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", "BarBot", "/x/y"))
        #expect(allowed("user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\n", "QuxBot", "/x/y"))
        // ID_AllowDisallow_Value_CaseSensitive, ID_LongestMatch
        #expect(allowed("user-agent: FooBot\ndisallow: /X/\n", "FooBot", "/x/y"))
        #expect(!allowed("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot", "/x/page.html"))
        #expect(allowed("user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "/x/page.html"))
        #expect(!allowed("user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "/x/"))
        #expect(allowed("user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", "/x/page.html"))
        #expect(allowed("user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", "/x/page.html"))
        #expect(!allowed("user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "/x"))
        #expect(allowed("user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "/x/"))
        #expect(!allowed("user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "/page.html"))
        #expect(allowed("user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "/x/page.html"))
        #expect(allowed("User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "/x/page"))
        // ID_Encoding, ID_SpecialCharacters
        #expect(allowed("User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n",
                        "FooBot", "/foo/bar?qux=taz&baz=http://foo.bar?tar&par"))
        #expect(allowed("User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "/foo/bar/%E3%83%84"))
        #expect(!allowed("User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "/foo/bar/baz"))
        #expect(allowed("User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "/foo/quz"))
        #expect(!allowed("User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar"))
        #expect(allowed("User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar/baz"))
        #expect(allowed("User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "/foo/bar"))
        #expect(!allowed("User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "/foo/quz"))
    }

    @Test func theUnavailableAndMissingDefaultsAreAllOrNothing() {
        #expect(!Robots.disallowAll.isAllowed("/"))
        #expect(!Robots.disallowAll.isAllowed("/any"))
        #expect(Robots.allowAll.isAllowed("/any"))
    }
}
