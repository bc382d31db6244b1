/// Finds any of a list of phrases inside a `TextKey` string, comparing UTF-8 bytes
/// (Foundation's `contains` goes through NSString and costs more than parsing the page).
struct PhraseMatcher: Sendable {
    private let phrases: [[UInt8]]

    init(_ phrases: [String]) {
        self.phrases = phrases.map { Array(TextKey.make($0).utf8) }.filter { !$0.isEmpty }
    }

    /// True when `key` contains one of the phrases.
    func matches(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { hay in
            phrases.contains { Self.find($0, in: hay) }
        }
    }

    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard needle.count <= hay.count, let first = needle.first else { return false }
        let last = hay.count - needle.count
        var i = 0
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
