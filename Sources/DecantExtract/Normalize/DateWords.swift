/// Month names, weekdays and the words around dates in every language the cleaner supports
/// (English, German, French, Spanish, Italian, Portuguese, Russian, Dutch, Polish): one table
/// shared by the date normalizer, the date finder and the cleaner's date-line patterns.
///
/// Data only; `DateScanner` and `FurnitureLine` hold the algorithms.
enum DateWords {
    /// What one language writes around dates.
    struct Language: Sendable {
        let code: String
        /// Twelve lists, January first: full names, case forms and abbreviations (without the dot).
        let months: [[String]]
        let weekdays: [String]
        /// Phrases before an original publication date ("Published", "Veröffentlicht am").
        let published: [String]
        /// Phrases before an update date ("Updated", "Mis à jour le").
        let updated: [String]
        /// Small words inside or around a date ("de", "um", "Uhr", "г").
        let connectors: [String]
    }

    static let languages: [Language] = [
        Language(
            code: "en",
            months: [["january", "jan"], ["february", "feb"], ["march", "mar"], ["april", "apr"], ["may"],
                     ["june", "jun"], ["july", "jul"], ["august", "aug"], ["september", "sep", "sept"],
                     ["october", "oct"], ["november", "nov"], ["december", "dec"]],
            weekdays: ["monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thur",
                       "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun"],
            published: ["published", "posted", "first published", "created", "released", "dated"],
            updated: ["updated", "last updated", "modified", "last modified", "revised", "edited"],
            connectors: ["on", "at", "am", "pm", "a", "p", "m", "of", "last", "the"]),
        Language(
            code: "de",
            months: [["januar", "jänner", "jan"], ["februar", "feber", "feb"], ["märz", "maerz", "mär", "mrz"],
                     ["april", "apr"], ["mai"], ["juni", "jun"], ["juli", "jul"], ["august", "aug"],
                     ["september", "sep", "sept"], ["oktober", "okt"], ["november", "nov"], ["dezember", "dez"]],
            weekdays: ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag"],
            published: ["veröffentlicht", "erstellt", "publiziert", "erschienen", "datum"],
            updated: ["aktualisiert", "geändert", "zuletzt aktualisiert", "aktualisierung", "letzte änderung"],
            connectors: ["am", "um", "uhr", "den", "der", "vom"]),
        Language(
            code: "fr",
            months: [["janvier", "janv"], ["février", "fevrier", "févr", "fevr"], ["mars"], ["avril", "avr"],
                     ["mai"], ["juin"], ["juillet", "juil"], ["août", "aout"], ["septembre", "sept"],
                     ["octobre", "oct"], ["novembre", "nov"], ["décembre", "decembre", "déc"]],
            weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
            published: ["publié", "publié le", "mis en ligne", "paru"],
            updated: ["mis à jour", "mise à jour", "modifié", "actualisé"],
            connectors: ["le", "à", "h", "du"]),
        Language(
            code: "es",
            months: [["enero", "ene"], ["febrero", "feb"], ["marzo", "mar"], ["abril", "abr"], ["mayo", "may"],
                     ["junio", "jun"], ["julio", "jul"], ["agosto", "ago"], ["septiembre", "setiembre", "sep", "sept"],
                     ["octubre", "oct"], ["noviembre", "nov"], ["diciembre", "dic"]],
            weekdays: ["lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo"],
            published: ["publicado", "publicada", "fecha"],
            updated: ["actualizado", "actualizada", "actualización", "modificado"],
            connectors: ["de", "del", "el", "a", "las", "hs"]),
        Language(
            code: "it",
            months: [["gennaio", "gen"], ["febbraio", "feb"], ["marzo", "mar"], ["aprile", "apr"], ["maggio", "mag"],
                     ["giugno", "giu"], ["luglio", "lug"], ["agosto", "ago"], ["settembre", "set", "sett"],
                     ["ottobre", "ott"], ["novembre", "nov"], ["dicembre", "dic"]],
            weekdays: ["lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
                       "venerdì", "venerdi", "sabato", "domenica"],
            published: ["pubblicato", "pubblicata", "pubblicato il"],
            updated: ["aggiornato", "aggiornata", "aggiornamento", "modificato"],
            connectors: ["il", "alle", "ore"]),
        Language(
            code: "pt",
            months: [["janeiro", "jan"], ["fevereiro", "fev"], ["março", "marco", "mar"], ["abril", "abr"],
                     ["maio", "mai"], ["junho", "jun"], ["julho", "jul"], ["agosto", "ago"], ["setembro", "set"],
                     ["outubro", "out"], ["novembro", "nov"], ["dezembro", "dez"]],
            weekdays: ["segunda-feira", "terça-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira",
                       "sábado", "domingo", "segunda", "terça", "quarta", "quinta", "sexta"],
            published: ["publicado", "publicada", "publicado em"],
            updated: ["atualizado", "atualizada", "atualização", "actualizado", "actualizada"],
            connectors: ["de", "em", "às", "as", "h"]),
        Language(
            code: "ru",
            months: [["января", "январь", "янв"], ["февраля", "февраль", "фев", "февр"], ["марта", "март", "мар"],
                     ["апреля", "апрель", "апр"], ["мая", "май"], ["июня", "июнь", "июн"], ["июля", "июль", "июл"],
                     ["августа", "август", "авг"], ["сентября", "сентябрь", "сен", "сент"],
                     ["октября", "октябрь", "окт"], ["ноября", "ноябрь", "ноя", "нояб"], ["декабря", "декабрь", "дек"]],
            weekdays: ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
            published: ["опубликовано", "опубликован", "опубликована", "дата публикации"],
            updated: ["обновлено", "обновлен", "обновлена", "изменено"],
            connectors: ["в", "г", "года"]),
        Language(
            code: "nl",
            months: [["januari", "jan"], ["februari", "feb"], ["maart", "mrt"], ["april", "apr"], ["mei"],
                     ["juni", "jun"], ["juli", "jul"], ["augustus", "aug"], ["september", "sep", "sept"],
                     ["oktober", "okt"], ["november", "nov"], ["december", "dec"]],
            weekdays: ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
            published: ["gepubliceerd", "geplaatst"],
            updated: ["bijgewerkt", "gewijzigd", "geüpdatet"],
            connectors: ["om", "op"]),
        Language(
            code: "pl",
            months: [["stycznia", "styczeń", "sty"], ["lutego", "luty", "lut"], ["marca", "marzec"],
                     ["kwietnia", "kwiecień", "kwi"], ["maja", "maj"], ["czerwca", "czerwiec", "cze"],
                     ["lipca", "lipiec", "lip"], ["sierpnia", "sierpień"], ["września", "wrzesień", "wrz"],
                     ["października", "październik", "paź"], ["listopada", "listopad", "lis"],
                     ["grudnia", "grudzień", "gru"]],
            weekdays: ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"],
            published: ["opublikowano", "data publikacji"],
            updated: ["zaktualizowano", "aktualizacja"],
            connectors: ["o", "godz", "r"]),
    ]

    /// Time-zone abbreviations pages write after a time, with their offset in minutes.
    static let zones: [String: Int] = [
        "z": 0, "utc": 0, "gmt": 0, "ut": 0, "wet": 0,
        "est": -300, "edt": -240, "ast": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
        "pst": -480, "pdt": -420, "akst": -540, "akdt": -480, "hst": -600,
        "cet": 60, "mez": 60, "bst": 60, "wat": 60, "west": 60, "cest": 120, "mesz": 120, "eet": 120,
        "sast": 120, "eest": 180, "msk": 180, "ist": 330, "jst": 540, "kst": 540,
        "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
    ]

    /// Zone words without one fixed offset ("ET" is EST or EDT): date-line words, no offset.
    static let looseZones: [String] = ["et", "pt", "ct", "mt"]

    /// Morning and afternoon markers, as the scanner sees them (dots dropped).
    static let meridiem: [String: Bool] = ["am": false, "pm": true, "a.m": false, "p.m": true]

    /// Month abbreviations and small words that are everyday words in a supported language ("set",
    /// "out", "sie", "data", "alle"): they still read as dates' words inside a date, but do not make a
    /// short line a date line.
    static let everydayWords: Set<String> = [
        "set", "sett", "out", "gen", "mag", "ago", "lug", "dic", "ene", "sie", "lis", "lut", "gru",
        "of", "the", "o", "r", "om", "op", "as", "em", "las", "hs", "ore", "vom", "du", "dated", "created", "released",
        "data", "first", "alle",
    ]

    // MARK: - Derived lookups

    /// Month number (1...12) of every name and abbreviation, also with a trailing dot.
    static let monthNumber: [String: Int] = {
        var map: [String: Int] = [:]
        for language in languages {
            for (k, names) in language.months.enumerated() {
                for name in names {
                    map[name] = k + 1
                    map[name + "."] = k + 1
                }
            }
        }
        return map
    }()

    static let weekdayNames: Set<String> = Set(languages.flatMap(\.weekdays))

    /// Update cues, lower-case, longest first (so "last updated" is tried before "updated").
    static let updatedCues: [String] = languages.flatMap(\.updated).sorted { $0.count > $1.count }
    static let publishedCues: [String] = languages.flatMap(\.published).sorted { $0.count > $1.count }

    /// Words a date line is made of besides numbers, in the cleaner's `TextKey` form: every month,
    /// weekday, cue, connector and zone word of the table, without `everydayWords`.
    static let lineWords: Set<String> = {
        var words: [String] = []
        for language in languages {
            words += language.months.flatMap { $0 } + language.weekdays + language.published + language.updated
                + language.connectors
        }
        words += Array(zones.keys) + looseZones
        var out = Set<String>()
        for phrase in words {
            for w in TextKey.make(phrase).split(separator: " ") where !everydayWords.contains(String(w)) {
                out.insert(String(w))
            }
        }
        return out
    }()
}
