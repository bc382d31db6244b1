/// Finds any of a list of phrases inside a `TextKey` string in one pass over its UTF-8 bytes,
/// trying only the phrases that start with the byte at hand (Foundation's `contains` goes through
/// NSString and costs more than parsing the page).
struct PhraseMatcher: Sendable {
    private let phrases: [[UInt8]]
    /// For each first byte, the indexes of the phrases that start with it.
    private let byFirstByte: [[Int]]

    init(_ phrases: [String]) {
        let keys = phrases.map { Array(TextKey.make($0).utf8) }.filter { !$0.isEmpty }
        var table = [[Int]](repeating: [], count: 256)
        for (k, p) in keys.enumerated() { table[Int(p[0])].append(k) }
        self.phrases = keys
        self.byFirstByte = table
    }

    /// True when `key` contains one of the phrases.
    func matches(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { hay in
            for i in hay.indices {
                for k in byFirstByte[Int(hay[i])] where Self.matches(phrases[k], in: hay, at: i) { return true }
            }
            return false
        }
    }

    /// True when `key` starts with one of the phrases, as whole words.
    func matchesStart(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { hay in
            guard let first = hay.first else { return false }
            for k in byFirstByte[Int(first)] where Self.matches(phrases[k], in: hay, at: 0) {
                if phrases[k].count == hay.count || hay[phrases[k].count] == 0x20 { return true }
            }
            return false
        }
    }

    private static func matches(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + needle.count <= hay.count else { return false }
        var k = 1
        while k < needle.count && hay[i + k] == needle[k] { k += 1 }
        return k == needle.count
    }
}
