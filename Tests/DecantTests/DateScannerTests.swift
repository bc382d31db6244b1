import Testing
@testable import DecantExtract

/// Full dates found inside running text, with the time and zone next to them and the cue before them.
@Suite struct DateScannerTests {
    static func first(_ text: String, order: DateScanner.DayOrder = .dayFirst) -> DateScanner.Found? {
        DateScanner.scan(text, order: order, limit: 1).first
    }

    @Test(arguments: [
        ("By Jane Doe | 2024-03-05T10:00:00+01:00 | 3 min read", "2024-03-05T10:00:00+01:00"),
        ("Stand: 05.03.2024, 14:05 Uhr", "2024-03-05"),
        ("Von Deutscher Tennis Bund 4. 2. 2022.", "2022-02-04"),
        ("Posted 2024/03/05 in News", "2024-03-05"),
        ("le 5.3.2024 à 10h", "2024-03-05"),
        ("Veröffentlicht am 26. Oktober 2020 um 14:05 Uhr", "2020-10-26"),
        ("Tuesday, March 5, 2024 10:30 AM EST", "2024-03-05T10:30:00-05:00"),
        ("10:01 pm PST, Tuesday, 19 November 2019", "2019-11-19T22:01:00-08:00"),
        ("Publicado el 5 de marzo de 2024 a las 10:00", "2024-03-05"),
        ("Pubblicato il 21 settembre 2021 alle 10:00", "2021-09-21"),
        ("Publicado em 26 de outubro de 2020 às 14h05", "2020-10-26"),
        ("Опубликовано 26 октября 2020 в 10:15", "2020-10-26"),
        ("Gepubliceerd op 5 maart 2024 om 10:00", "2024-03-05"),
        ("Opublikowano 26 października 2020 o godz. 10:15", "2020-10-26"),
        ("Mis à jour le 1er décembre 2023", "2023-12-01"),
    ])
    func findsTheDateInAnyLanguage(_ text: String, _ iso: String) {
        #expect(Self.first(text)?.date.iso == iso)
    }

    @Test func numericDatesAreReadInThePageOrderUnlessAPartSaysOtherwise() {
        #expect(Self.first("Posted 03/05/2024", order: .monthFirst)?.date.iso == "2024-03-05")
        #expect(Self.first("Posted 03/05/2024", order: .dayFirst)?.date.iso == "2024-05-03")
        #expect(Self.first("Posted 13/05/2024", order: .monthFirst)?.date.iso == "2024-05-13")
        #expect(Self.first("am 05.03.24", order: .dayFirst) == nil)
        #expect(DateScanner.scan("am 05.03.24", order: .dayFirst, shortYears: true).first?.date.iso == "2024-03-05")
    }

    @Test func versionNumbersAddressesAndPartialDatesAreNoDates() {
        for text in ["Version 1.2.2024.5 released", "Call 10.12.2024.3", "in March 2024", "on March 5", "192.168.1.1",
                     "page 12 of 2024", "Issue 5/2024"] {
            #expect(Self.first(text) == nil, "\(text)")
        }
    }

    @Test func theCueBeforeADateSaysWhetherItIsAnUpdate() {
        let found = DateScanner.scan("Published March 1, 2024 · Updated March 2, 2024", order: .monthFirst)
        #expect(found.map(\.date.iso) == ["2024-03-01", "2024-03-02"])
        #expect(found.map(\.cue) == [.published, .modified])
        // "dated" must not be read inside "updated".
        #expect(Self.first("Last updated 19.08.2003")?.cue == .modified)
        #expect(Self.first("Aktualisiert am 5. März 2024")?.cue == .modified)
        #expect(Self.first("Erschienen am 01.11.2023")?.cue == .published)
        #expect(Self.first("5. März 2024")?.cue == nil)
    }

    @Test func aYearlessDateNeedsADefaultYear() {
        #expect(Self.first("Posted Nov 18, 8:19 PM", order: .monthFirst) == nil)
        let found = DateScanner.scan("Posted Nov 18, 8:19 PM", order: .monthFirst, defaultYear: 2019).first
        #expect(found?.date.dayString == "2019-11-18")
        #expect(found?.date.seconds == 20 * 3600 + 19 * 60)
        #expect(found?.date.offsetMinutes == nil)
    }
}
