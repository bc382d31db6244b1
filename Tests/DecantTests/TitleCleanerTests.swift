import Testing
@testable import DecantExtract

/// Site names come off titles; a part equal to the `<h1>` wins; the result is never empty.
@Suite struct TitleCleanerTests {
    @Test(arguments: [
        ("Bridge reopens | Courier", "Bridge reopens"),
        ("Bridge reopens - Courier", "Bridge reopens"),
        ("Bridge reopens — Courier", "Bridge reopens"),
        ("Bridge reopens :: Courier", "Bridge reopens"),
        ("Courier | Bridge reopens", "Bridge reopens"),
        ("COURIER - Bridge reopens", "Bridge reopens"),
    ])
    func aSegmentNamingTheSiteIsRemoved(_ title: String, _ expected: String) {
        #expect(TitleCleaner.clean(title, siteName: "Courier", host: nil, h1: nil) == expected)
    }

    @Test func theHostNameCountsAsTheSiteName() {
        #expect(TitleCleaner.clean("Bridge reopens | Courier-News.com", siteName: nil, host: "courier-news.com", h1: nil)
            == "Bridge reopens")
        #expect(TitleCleaner.clean("Bridge reopens - Example", siteName: nil, host: "example.org", h1: nil)
            == "Bridge reopens")
    }

    @Test func thePartMatchingTheH1IsChosen() {
        #expect(TitleCleaner.clean("Local | Bridge reopens | Daily Paper", siteName: nil, host: nil, h1: "Bridge reopens")
            == "Bridge reopens")
        #expect(TitleCleaner.clean("Bridge - a story | Paper", siteName: nil, host: nil, h1: "Bridge - a story")
            == "Bridge - a story")
    }

    @Test func titlesWithoutASiteNameStayWhole() {
        #expect(TitleCleaner.clean("Biden - Trump debate recap", siteName: "Courier", host: nil, h1: nil)
            == "Biden - Trump debate recap")
        #expect(TitleCleaner.clean("Spider-Man returns", siteName: "Spider", host: nil, h1: nil) == "Spider-Man returns")
    }

    @Test func anEmptyTitleFallsBackToTheH1() {
        #expect(TitleCleaner.clean(nil, siteName: nil, host: nil, h1: "Heading") == "Heading")
        #expect(TitleCleaner.clean("  ", siteName: nil, host: nil, h1: " Heading ") == "Heading")
        #expect(TitleCleaner.clean("Courier", siteName: "Courier", host: nil, h1: nil) == "Courier")
    }
}

extension TitleCleanerTests {
    @Test func anyHostLabelNamesTheSiteAndDanglingSeparatorsGo() {
        #expect(TitleCleaner.clean("Story title - Entermedia", siteName: nil, host: "entermedia.co.kr", h1: nil)
            == "Story title")
        #expect(TitleCleaner.clean("Über André Loibl |", siteName: nil, host: nil, h1: nil) == "Über André Loibl")
    }
}
