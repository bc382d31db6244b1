import Foundation
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantExtract
@testable import DecantFetch

/// Per-site rules (`sites` in pipeline.json): XPath content/drop/metadata overrides, host-suffix
/// matching, the fallback to the generic cleaner, config errors, and the fetch overrides.
@Suite struct SiteRuleTests {
    static let essay = String(repeating: "Gardening in small spaces rewards patience, care, and a little planning, "
        + "because every pot, window box and balcony rail can hold something that grows, flowers or feeds you. ", count: 3)

    /// A short news story and a long, comma-rich essay in the sidebar: the generic cleaner takes the essay.
    static let wrongBlockPage = """
        <html><head><title>Council approves bridge</title>
        <meta property="article:published_time" content="2020-01-02T10:00:00Z"></head><body>
        <div id="main"><div class="story">
        <h2 class="headline">Council approves the river bridge</h2>
        <p>By <span class="who">By Jane Roe</span>, <span class="when">5 March 2024</span></p>
        <p>The council approved the new river bridge on Tuesday after a short debate, officials said.</p>
        <p class="note">Letters to the desk about the bridge are welcome and are read every week.</p>
        <p>Construction is expected to start in the spring and to last two years.</p>
        </div></div>
        <div id="rail"><div class="essay">
        <p>\(essay)</p><p>\(essay)</p><p>\(essay)</p><p>\(essay)</p>
        </div></div>
        </body></html>
        """

    static func extractor(_ rules: [String: SiteRule]) -> Extractor {
        var clean = CleanConfig()
        clean.sites = SiteRules(rules)
        return Extractor(options: clean)
    }

    static func rule(_ change: (inout SiteRule) -> Void) -> SiteRule {
        var r = SiteRule()
        change(&r)
        return r
    }

    static let url = "https://www.example.com/news/bridge"

    @Test func aContentRulePicksTheArticleWhereTheGenericCleanerPicksTheSidebar() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let generic = try Extractor().extract(page, url: Self.url)
        #expect(generic.text.contains("Gardening in small spaces"), "the fixture must fool the generic cleaner")
        #expect(!generic.text.contains("council approved"))
        let ruled = try Self.extractor(["example.com": Self.rule { $0.content = ["//div[@class='story']"] }])
            .extract(page, url: Self.url)
        #expect(ruled.text.contains("The council approved the new river bridge"))
        #expect(ruled.text.contains("Construction is expected"))
        #expect(!ruled.text.contains("Gardening"))
    }

    @Test func contentFromSeveralXPathsComesInDocumentOrder() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let ruled = try Self.extractor(["example.com": Self.rule {
            $0.content = ["//div[@class='essay']/p[1]", "//div[@class='story']/p[2]"]
        }]).extract(page, url: Self.url)
        let story = try #require(ruled.text.range(of: "The council approved"))
        let essay = try #require(ruled.text.range(of: "Gardening"))
        #expect(story.lowerBound < essay.lowerBound)
    }

    @Test func aDropRuleRemovesABlockTheCleanerKeeps() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let content = Self.rule { $0.content = ["//div[@class='story']"] }
        let kept = try Self.extractor(["example.com": content]).extract(page, url: Self.url)
        #expect(kept.text.contains("Letters to the desk"))
        var both = content
        both.drop = ["//p[@class='note']"]
        let dropped = try Self.extractor(["example.com": both]).extract(page, url: Self.url)
        #expect(!dropped.text.contains("Letters to the desk"))
        #expect(dropped.text.contains("The council approved"))
    }

    @Test func titleDateAndAuthorXPathsOverrideTheMetadata() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let generic = try Extractor().extract(page, url: Self.url)
        #expect(generic.published != "2024-03-05")
        let ruled = try Self.extractor(["example.com": Self.rule {
            $0.content = ["//div[@class='story']"]
            $0.title = "//h2[@class='headline']"
            $0.date = "//span[@class='when']"
            $0.author = "string(//span[@class='who'])"
        }]).extract(page, url: Self.url)
        #expect(ruled.title == "Council approves the river bridge")
        #expect(ruled.published == "2024-03-05")
        #expect(ruled.author == "Jane Roe")
    }

    @Test func hostsMatchBySuffixOnLabelBoundariesMostSpecificFirst() {
        let rules = SiteRules(["example.com": SiteRule(), "blog.example.com": Self.rule { $0.title = "//h1" }])
        #expect(rules.match(host: "example.com")?.key == "example.com")
        #expect(rules.match(host: "www.example.com")?.key == "example.com")
        #expect(rules.match(host: "WWW.Example.COM.")?.key == "example.com")
        #expect(rules.match(host: "a.blog.example.com")?.key == "blog.example.com")
        #expect(rules.match(host: "badexample.com") == nil)
        #expect(rules.match(host: "example.com.evil.net") == nil)
        #expect(rules.match(url: "https://user@news.example.com:8443/x?y")?.key == "example.com")
        #expect(rules.match(url: "file:///tmp/page.html") == nil)
        #expect(rules.match(url: nil) == nil)
    }

    @Test func aRuleThatMatchesNothingFallsBackToTheGenericCleanerAndExplainSaysSo() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let generic = try Extractor().extract(page, url: Self.url)
        let extractor = Self.extractor(["example.com": Self.rule { $0.content = ["//div[@id='nothing']"] }])
        let ruled = try extractor.extract(page, url: Self.url)
        #expect(ruled.text == generic.text)
        let explain = try extractor.explain(page, url: Self.url)
        #expect(explain.contains("site rule example.com:"))
        #expect(explain.contains("content //div[@id='nothing']: matched 0 element(s)"))
        #expect(explain.contains("content matched nothing: generic cleaner"))
        let other = try extractor.explain(page, url: "https://other.org/x")
        #expect(other.contains("site rule: none for this page's host"))
    }

    @Test func contentElementsWithoutTextFallBackToTheGenericCleaner() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let extractor = Self.extractor(["example.com": Self.rule { $0.content = ["//head"] }])
        let ruled = try extractor.extract(page, url: Self.url)
        #expect(ruled.text == (try Extractor().extract(page, url: Self.url)).text)
        #expect(try extractor.explain(page, url: Self.url).contains("generic cleaner"))
    }

    @Test func pagesOfOtherHostsAreExtractedAsWithoutRules() throws {
        let page = Data(Self.wrongBlockPage.utf8)
        let extractor = Self.extractor(["example.com": Self.rule { $0.content = ["//div[@class='story']"]; $0.drop = ["//p"] }])
        let other = try extractor.extract(page, url: "https://badexample.com/news")
        #expect(other == (try Extractor().extract(page, url: "https://badexample.com/news")))
    }

    // MARK: configuration

    @Test func sitesDecodeWithEveryKey() throws {
        let config = try PipelineConfig.decode(Data(#"""
            {"sites": {"example.com": {"content": ["//article"], "drop": ["//aside"], "title": "//h1",
             "date": "//time/@datetime", "author": "//a[@rel='author']", "userAgent": "Bot/2",
             "perHostDelayMs": 1500, "cookies": {"consent": "yes", "a": "1"}}}}
            """#.utf8))
        let rule = try #require(config.sites.byHost["example.com"])
        #expect(rule.content == ["//article"] && rule.drop == ["//aside"] && rule.perHostDelayMs == 1500)
        #expect(rule.cookieHeader == "a=1; consent=yes")
        #expect(config.fetch.sites == config.sites && config.clean.sites == config.sites)
        try config.sites.checkXPaths()
    }

    @Test(arguments: [
        (#"{"sites": {"example.com": {"contnet": []}}}"#, "sites.example.com.contnet"),
        (#"{"sites": {"Example.com": {}}}"#, "sites.Example.com"),
        (#"{"sites": {"example.com/news": {}}}"#, "sites.example.com/news"),
        (#"{"sites": {"example.com": {"content": ["//div", ""]}}}"#, "sites.example.com.content[1]"),
        (#"{"sites": {"example.com": {"perHostDelayMs": -1}}}"#, "sites.example.com.perHostDelayMs"),
        (#"{"sites": {"example.com": {"perHostDelayMs": 1.5}}}"#, "sites.example.com.perHostDelayMs"),
        (#"{"sites": {"example.com": {"cookies": {"a": "x;y"}}}}"#, "sites.example.com.cookies.a"),
        (#"{"sites": {"example.com": {"userAgent": ""}}}"#, "sites.example.com.userAgent"),
        (#"{"sites": {"example.com": {"title": 3}}}"#, "sites.example.com.title"),
    ])
    func aBadSiteRuleIsAConfigErrorNamingItsKeyPath(json: String, keyPath: String) {
        do {
            _ = try PipelineConfig.decode(Data(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.keyPath == keyPath, "\(json): \(error)")
        }
    }

    @Test func aBadXPathIsAConfigErrorNamingItsKeyPath() throws {
        let config = try PipelineConfig.decode(Data(#"{"sites": {"example.com": {"content": ["//div", "//div[@"]}}}"#.utf8))
        do {
            try config.sites.checkXPaths()
            Issue.record("a bad XPath compiled")
        } catch {
            #expect(error.keyPath == "sites.example.com.content[1]")
            #expect(error.description.contains("XPath"))
        }
    }

    @Test func decantExtractExitsTwoOnABadXPathNamingItsKeyPath() throws {
        let folder = NSTemporaryDirectory() + "decant-site-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(#"{"sites": {"example.com": {"title": "//h1", "date": "count(//p"}}}"#.utf8)
            .write(to: URL(fileURLWithPath: folder + "/pipeline.json"))
        try Data(Self.wrongBlockPage.utf8).write(to: URL(fileURLWithPath: folder + "/page.html"))
        let run = try SiteRuleProcess.decant(["extract", "--config", folder + "/pipeline.json", folder + "/page.html"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("sites.example.com.date"), "\(run.stderr)")
    }

    // MARK: fetch overrides

    @Test func aSiteRuleSetsUserAgentAndCookiesOfItsHostOnly() async throws {
        let server = try #require(HeaderEchoServer.shared, "python3 is needed for the local server")
        var config = FetcherTests.config()
        config.sites = SiteRules(["127.0.0.1": Self.rule { $0.userAgent = "SiteBot/2.0"; $0.cookies = ["b": "2", "a": "1"] }])
        let fetcher = RunningFetcher(config: config)
        let ruled = try #require(await fetcher.fetch("http://127.0.0.1:\(server.port)/echo").page)
        let body = String(decoding: ruled.body, as: UTF8.self)
        #expect(body.contains("UA=[SiteBot/2.0]"), "\(body)")
        #expect(body.contains("Cookie=[a=1; b=2]"), "\(body)")
        let other = try #require(await fetcher.fetch("http://localhost:\(server.port)/echo").page)
        let plain = String(decoding: other.body, as: UTF8.self)
        #expect(plain.contains("UA=[\(config.userAgent)]"), "\(plain)")
        #expect(plain.contains("Cookie=[]"), "\(plain)")
    }

    @Test func aSiteRulesPerHostDelaySpacesRequestsToItsHost() async throws {
        let server = try #require(HeaderEchoServer.shared, "python3 is needed for the local server")
        var config = FetcherTests.config()
        config.sites = SiteRules(["127.0.0.1": Self.rule { $0.perHostDelayMs = 700 }])
        let fetcher = RunningFetcher(config: config)
        let start = Date()
        async let a = fetcher.fetch("http://127.0.0.1:\(server.port)/a")
        async let b = fetcher.fetch("http://127.0.0.1:\(server.port)/b")
        let (first, second) = await (a, b)
        #expect(first.page != nil && second.page != nil)
        #expect(Date().timeIntervalSince(start) >= 0.65, "perHostDelayMs 700 must space the two requests")
    }
}

/// Runs the built `decant` binary, capturing its exit status and stderr.
enum SiteRuleProcess {
    static func decant(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let (status, _, text) = try ChildProcess.run(binary, arguments)
        return (status, text)
    }
}

/// `scripts/header_echo_server.py`: a 127.0.0.1 HTTP server whose pages show the request's User-Agent and Cookie headers.
///
/// It exits when this process ends (its stdin closes).
final class HeaderEchoServer: Sendable {
    private let server: ScriptServer
    var port: Int { server.port }

    static let shared: HeaderEchoServer? = HeaderEchoServer()

    private init?() {
        guard let server = ScriptServer("header_echo_server.py") else { return nil }
        self.server = server
    }
}
