import Testing
@testable import Decant

/// Dates in the forms pages use come out as ISO 8601; anything else as nil.
@Suite struct DateNormalizerTests {
    @Test(arguments: [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00Z"),
        ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
        ("2024-03-05T10:00:00.123-0500", "2024-03-05T10:00:00-05:00"),
        ("2024-03-05 10:00", "2024-03-05T10:00:00"),
        ("2024/03/05", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00Z"),
        ("Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05T10:00:00+01:00"),
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        ("5. März 2024", "2024-03-05"),
        ("5 mars 2024", "2024-03-05"),
        ("5 de marzo de 2024", "2024-03-05"),
        ("March 5th, 2024 at 3:15 pm", "2024-03-05T15:15:00"),
        ("1709632800", "2024-03-05T10:00:00Z"),
    ])
    func commonFormsBecomeISO(_ input: String, _ expected: String) {
        #expect(DateNormalizer.normalize(input) == expected)
    }

    @Test(arguments: ["", "yesterday", "5 hours ago", "2024-13-01", "2023-02-29", "31.02.2024", "March 2024"])
    func unparseableOrImpossibleDatesGiveNil(_ input: String) {
        #expect(DateNormalizer.normalize(input) == nil)
    }
}
