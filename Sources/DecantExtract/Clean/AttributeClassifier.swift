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

    static let none = ClassSignals()
}

/// Splits class/id values into tokens and matches them against `BoilerplatePatterns`.
///
/// Results are cached per distinct value (hashed with FNV-1a), since pages repeat class names a lot.
struct AttributeClassifier {
    private static let exact: [UInt64: BoilerplatePatterns.Signal] = {
        var table: [UInt64: BoilerplatePatterns.Signal] = [:]
        for (word, signal) in BoilerplatePatterns.exactTokens { table[Fingerprint.fnv1a(word.utf8)] = signal }
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

    /// Bit `a << 8 | b` is set when some stem starts with the bytes `a b`: most positions of a word
    /// start no stem, and this one lookup tells.
    private static let stemStarts: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for (stem, _) in stems where stem.count >= 2 {
            let key = Int(stem[0]) << 8 | Int(stem[1])
            bits[key >> 6] |= 1 << UInt64(key & 63)
        }
        return bits
    }()

    private var cache: [UInt64: ClassSignals] = [:]

    /// Classifies one attribute value (class or id).
    mutating func classify(_ value: UnsafeBufferPointer<UInt8>) -> ClassSignals {
        if value.isEmpty { return .none }
        let h = Fingerprint.fnv1a(value)
        if let hit = cache[h] { return hit }
        let result = Self.match(value)
        if cache.count < 4096 { cache[h] = result }
        return result
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
        if signals.drop && signals.positive {
            signals.drop = false
            signals.ad = false
            signals.positive = false
            signals.strong = false
            signals.dropIfSmall = true
        }
        return signals
    }

    private static func apply(_ token: [UInt8], to signals: inout ClassSignals) {
        switch exact[Fingerprint.fnv1a(token)] {
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
        for i in 0..<(n - 1) {
            let key = Int(word[i]) << 8 | Int(word[i + 1])
            guard stemStarts[key >> 6] & (1 << UInt64(key & 63)) != 0 else { continue }
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
