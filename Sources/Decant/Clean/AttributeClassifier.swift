/// What an element's class and id tokens say about it, as found in `BoilerplatePatterns`.
struct ClassSignals: Equatable {
    var drop = false
    /// An ad or promotion slot (see `BoilerplatePatterns.Signal.ad`); implies `drop`.
    var ad = false
    var dropIfSmall = false
    var positive = false
    var keep = false
    var caption = false
    var lead = false
    /// A compound article word (`articlebody`, `entrycontent`, ...), stronger than `positive`.
    var strong = false
    /// Readability's class weight of this value: +25 for a positive word, −25 for a negative one.
    var baselineWeight: Int8 = 0
    /// Readability's "unlikely candidate" and "maybe it is a candidate" words.
    var unlikely = false
    var maybe = false

    static let none = ClassSignals()
}

/// Splits class/id values into tokens and matches them against `BoilerplatePatterns`.
///
/// Results are cached per distinct value (hashed with FNV-1a), since pages repeat class names a lot.
struct AttributeClassifier {
    private static let exact: [UInt64: BoilerplatePatterns.Signal] = {
        var table: [UInt64: BoilerplatePatterns.Signal] = [:]
        for (word, signal) in BoilerplatePatterns.exactTokens { table[fnv(Array(word.utf8))] = signal }
        return table
    }()
    private static let stems: [([UInt8], BoilerplatePatterns.Signal)] =
        BoilerplatePatterns.stems.map { (Array($0.0.utf8), $0.1) }
    /// Stem indexes by their first byte, so each position of a word checks only a few stems.
    private static let stemsByFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (k, stem) in stems.enumerated() { table[Int(stem.0[0])].append(k) }
        return table
    }()

    private var cache: [UInt64: ClassSignals] = [:]

    /// Classifies one attribute value (class or id).
    mutating func classify(_ value: UnsafeBufferPointer<UInt8>) -> ClassSignals {
        if value.isEmpty { return .none }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in value { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        if let hit = cache[h] { return hit }
        let result = Self.match(value)
        if cache.count < 4096 { cache[h] = result }
        return result
    }

    private static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Tokenises at non-alphanumerics and lower→upper case changes, lower-cases, and matches each token.
    private static func match(_ value: UnsafeBufferPointer<UInt8>) -> ClassSignals {
        var signals = ClassSignals()
        var token: [UInt8] = []
        token.reserveCapacity(32)
        var whole: [UInt8] = []  // the run without separators: "related-posts" → "relatedposts"
        whole.reserveCapacity(64)
        var previousLower = false
        func flushToken() {
            if !token.isEmpty { apply(token, to: &signals) }
            token.removeAll(keepingCapacity: true)
        }
        func flushWord() {
            flushToken()
            if whole.count >= 5 { applyStems(whole, to: &signals) }
            whole.removeAll(keepingCapacity: true)
        }
        for b in value {
            let isUpper = b >= 65 && b <= 90
            let isLower = (b >= 97 && b <= 122) || b >= 0x80
            let isDigit = b >= 48 && b <= 57
            if isUpper || isLower || isDigit {
                if isUpper && previousLower { flushToken() }
                let c = isUpper ? b | 0x20 : b
                token.append(c)
                whole.append(c)
                previousLower = isLower
            } else if b == 32 || b == 9 || b == 10 || b == 13 {
                flushWord()
                previousLower = false
            } else {
                flushToken()
                previousLower = false
            }
        }
        flushWord()
        // Embedded content wins over furniture ("social-media-embed", "twitter-tweet"). Furniture
        // and article words together ("banners-contenido", "post tag-news") leave it to size,
        // as Readability's "maybe a candidate" words do.
        if signals.keep { signals.drop = false; signals.ad = false }
        Self.matchBaseline(value, into: &signals)
        if signals.drop && signals.positive {
            signals.drop = false
            signals.ad = false
            signals.positive = false
            signals.strong = false
            signals.dropIfSmall = true
        }
        return signals
    }

    private static let baselineLists: [(words: [[UInt8]], kind: Int)] = [
        (BoilerplatePatterns.baselinePositive.map { Array($0.utf8) }, 0),
        (BoilerplatePatterns.baselineNegative.map { Array($0.utf8) }, 1),
        (BoilerplatePatterns.baselineUnlikely.map { Array($0.utf8) }, 2),
        (BoilerplatePatterns.baselineMaybe.map { Array($0.utf8) }, 3),
    ]

    /// Readability's substring tests, on the lower-cased value.
    private static func matchBaseline(_ value: UnsafeBufferPointer<UInt8>, into signals: inout ClassSignals) {
        let lower = value.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var found = [false, false, false, false]
        for (words, kind) in baselineLists {
            for w in words where contains(lower, w) {
                found[kind] = true
                break
            }
        }
        signals.baselineWeight = (found[0] ? 25 : 0) - (found[1] ? 25 : 0)
        signals.unlikely = found[2]
        signals.maybe = found[3]
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = hay.count, m = needle.count
        guard m > 0, n >= m else { return false }
        let first = needle[0]
        var i = 0
        while i <= n - m {
            if hay[i] == first {
                var j = 1
                while j < m && hay[i + j] == needle[j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }

    private static func apply(_ token: [UInt8], to signals: inout ClassSignals) {
        switch exact[fnv(token)] {
        case .drop: signals.drop = true
        case .ad: signals.drop = true; signals.ad = true
        case .dropIfSmall: signals.dropIfSmall = true
        case .positive: signals.positive = true
        case .keep: signals.keep = true
        case .caption: signals.caption = true
        case .lead: signals.lead = true
        case nil: break
        }
    }

    private static func applyStems(_ word: [UInt8], to signals: inout ClassSignals) {
        let n = word.count
        for i in 0..<n {
            for k in stemsByFirstByte[Int(word[i])] {
                let (stem, signal) = stems[k]
                let m = stem.count
                guard i + m <= n else { continue }
                var j = 1
                while j < m && word[i + j] == stem[j] { j += 1 }
                guard j == m else { continue }
                switch signal {
                case .drop: signals.drop = true
                case .ad: signals.drop = true; signals.ad = true
                case .dropIfSmall: signals.dropIfSmall = true
                case .positive: signals.positive = true; signals.strong = true
                case .keep: signals.keep = true
                case .caption: signals.caption = true
                case .lead: signals.lead = true
                }
            }
        }
    }
}
