import Testing
@testable import DecantExtract

/// One table of month names and date words serves the normalizer and the cleaner's date lines.
@Suite struct DateWordsTests {
    @Test func everyLanguageHasTwelveMonthsAndTheirNamesMapBack() {
        #expect(DateWords.languages.map(\.code) == ["en", "de", "fr", "es", "it", "pt", "ru", "nl", "pl"])
        for language in DateWords.languages {
            #expect(language.months.count == 12, "\(language.code)")
            for (k, names) in language.months.enumerated() {
                for name in names { #expect(DateWords.monthNumber[name] == k + 1, "\(language.code) \(name)") }
            }
        }
    }

    @Test func theCleanersDateLineWordsComeFromTheTable() {
        #expect(BoilerplatePatterns.dateLineWords == DateWords.lineWords)
        for word in ["octobre", "oktober", "октября", "maart", "października", "mittwoch", "aktualisiert", "uhr"] {
            #expect(BoilerplatePatterns.dateLineWords.contains(word), "\(word)")
        }
        // Abbreviations that are everyday words do not make a line a date line.
        for word in ["set", "out", "sie", "gen", "data", "first", "alle"] { #expect(!BoilerplatePatterns.dateLineWords.contains(word), "\(word)") }
    }

    /// The words the cleaner knew before the table was shared: none is lost.
    @Test func noDateLineWordTheCleanerKnewIsLost() {
        let before: Set<String> = [
            "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
            "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
            "januar", "jänner", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
            "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre",
            "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
            "octubre", "noviembre", "diciembre", "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio",
            "settembre", "ottobre", "dicembre", "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro",
            "outubro", "novembro", "dezembro", "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
            "августа", "сентября", "октября", "ноября", "декабря",
            "mon", "monday", "tue", "tuesday", "wed", "wednesday", "thu", "thursday", "fri", "friday", "sat",
            "saturday", "sun", "sunday", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
            "am", "pm", "a", "p", "m", "est", "edt", "cst", "cdt", "pst", "pdt", "mst", "mdt", "gmt", "utc", "cet",
            "cest", "bst", "ist", "et", "pt", "uhr", "h", "updated", "published", "posted", "last", "modified", "on",
            "at", "aktualisiert", "veröffentlicht", "publié", "mis", "à", "jour", "le", "el", "de", "del", "um", "den",
            "der", "actualizado", "publicado", "aggiornato", "pubblicato", "atualizado", "обновлено", "в", "г", "года",
        ]
        #expect(before.subtracting(DateWords.lineWords).isEmpty, "\(before.subtracting(DateWords.lineWords))")
    }

    @Test func aDateLineInAnyLanguageIsFurniture() {
        for line in ["26 października 2020", "5 maart 2024, 10:00", "Aktualisiert am 3. März 2021, 14:05 Uhr",
                     "Mis à jour le 1 décembre 2023"] {
            #expect(FurnitureLine.matches(line), "\(line)")
        }
        #expect(!FurnitureLine.matches("Set 3 of 5"))
    }
}
