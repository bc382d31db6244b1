import Testing
@testable import DecantExtract

/// Dates in the forms pages use come out as ISO 8601 (a time only with its zone); anything else as nil.
@Suite struct DateNormalizerTests {
    @Test(arguments: [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00Z"),
        ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
        ("2024-03-05T10:00:00.123-0500", "2024-03-05T10:00:00-05:00"),
        ("2024/03/05", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00Z"),
        ("Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05T10:00:00+01:00"),
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        ("1709632800", "2024-03-05T10:00:00Z"),
        ("1709632800000", "2024-03-05T10:00:00Z"),
        ("Nov. 20, 2019 5:52 AM EST", "2019-11-20T05:52:00-05:00"),
    ])
    func commonFormsBecomeISO(_ input: String, _ expected: String) {
        #expect(DateNormalizer.normalize(input) == expected)
    }

    /// Month names of every language the cleaner supports.
    @Test(arguments: [
        ("5. März 2024", "2024-03-05"), ("26. Oktober 2020", "2020-10-26"), ("3. Jänner 2021", "2021-01-03"),
        ("5 mars 2024", "2024-03-05"), ("1er décembre 2023", "2023-12-01"),
        ("5 de marzo de 2024", "2024-03-05"), ("12 de septiembre de 2022", "2022-09-12"),
        ("5 marzo 2024", "2024-03-05"), ("21 settembre 2021", "2021-09-21"),
        ("5 de março de 2024", "2024-03-05"), ("26 de outubro de 2020", "2020-10-26"),
        ("26 октября 2020", "2020-10-26"), ("5 марта 2024 г.", "2024-03-05"),
        ("5 maart 2024", "2024-03-05"), ("26 oktober 2020", "2020-10-26"),
        ("5 marca 2024", "2024-03-05"), ("26 października 2020", "2020-10-26"),
        ("Oct 26, 2020", "2020-10-26"), ("Okt. 26, 2020", "2020-10-26"),
    ])
    func monthNamesInEverySupportedLanguage(_ input: String, _ expected: String) {
        #expect(DateNormalizer.normalize(input) == expected)
    }

    /// "Never invent a time": a time without a zone is dropped, a date alone stays a date.
    @Test(arguments: [
        ("2024-03-05 10:00", "2024-03-05"),
        ("2024-03-05T23:30:00", "2024-03-05"),
        ("March 5th, 2024 at 3:15 pm", "2024-03-05"),
        ("March 5th, 2024 at 3:15 pm PST", "2024-03-05T15:15:00-08:00"),
    ])
    func aTimeIsKeptOnlyWithItsZone(_ input: String, _ expected: String) {
        #expect(DateNormalizer.normalize(input) == expected)
    }

    @Test func theOffsetIsKeptAndTheDayNeverMoves() {
        // 23:30 at UTC-5 is the next day in UTC; the page's own day stays.
        #expect(DateNormalizer.normalize("2024-03-05T23:30:00-05:00") == "2024-03-05T23:30:00-05:00")
        #expect(DateNormalizer.normalize("2024-03-06T00:30:00+01:00") == "2024-03-06T00:30:00+01:00")
    }

    @Test(arguments: ["", "yesterday", "5 hours ago", "2024-13-01", "2023-02-29", "31.02.2024", "March 2024",
                      "2024", "2024-03", "12345"])
    func unparseablePartialOrImpossibleDatesGiveNil(_ input: String) {
        #expect(DateNormalizer.normalize(input) == nil)
    }

    @Test func numericDatesFollowThePageLanguage() {
        #expect(DateNormalizer.parse("03/05/2024", order: .monthFirst)?.iso == "2024-03-05")
        #expect(DateNormalizer.parse("03/05/2024", order: .dayFirst)?.iso == "2024-05-03")
        #expect(DateNormalizer.parse("25/05/2024", order: .monthFirst)?.iso == "2024-05-25")
        #expect(DateScanner.order(language: "en-US") == .monthFirst)
        #expect(DateScanner.order(language: "en-GB") == .dayFirst)
        #expect(DateScanner.order(language: "de") == .dayFirst)
    }
}
