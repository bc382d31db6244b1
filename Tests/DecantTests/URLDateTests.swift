import Testing
@testable import DecantExtract

/// Dates in URL paths: full dates only, with separators, or a bare YYYYMMDD between separators.
@Suite struct URLDateTests {
    @Test(arguments: [
        ("https://news.example/2019/08/16/storm-hits-coast/", "2019-08-16"),
        ("https://news.example/2019/8/6/storm", "2019-08-06"),
        ("https://news.example/world/2019-08-16-storm.html", "2019-08-16"),
        ("https://news.example/a_2019_08_16_storm", "2019-08-16"),
        ("https://news.example/20190816/storm.html", "2019-08-16"),
        ("https://news.example/storm-20190816.html", "2019-08-16"),
    ])
    func fullDatesInThePathAreFound(_ url: String, _ day: String) {
        #expect(URLDate.find(in: url)?.iso == day)
    }

    @Test(arguments: [
        "https://news.example/2019/08/storm", "https://news.example/article/12345678/storm",
        "https://news.example/id/20191345/x", "https://2019-08-16.example/x", "https://news.example/x?id=201908161234",
        "https://news.example/1985/08/16/old",
    ])
    func partialOrUnsafeDatesAreNot(_ url: String) {
        #expect(URLDate.find(in: url) == nil)
    }
}
