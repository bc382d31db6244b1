/// Counts words fast: one pass over the UTF-8 bytes, counting each step from whitespace into text.
enum WordCounter {
    /// The number of whitespace-separated words in `text` (ASCII and Unicode spaces).
    static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(bytes: $0) }
    }

    static func count(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var words = 0
        var inWord = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            var space = false
            var width = 1
            if b < 0x80 {
                space = b == 32 || (b >= 9 && b <= 13)
            } else if b == 0xC2, i + 1 < n {
                let c = bytes[i + 1]
                space = c == 0x85 || c == 0xA0
                width = 2
            } else if b == 0xE1, i + 2 < n {
                space = bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80
                width = 3
            } else if b == 0xE2, i + 2 < n {
                let c = bytes[i + 1], d = bytes[i + 2]
                space = (c == 0x80 && (d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF)) || (c == 0x81 && d == 0x9F)
                width = 3
            } else if b == 0xE3, i + 2 < n {
                space = bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80
                width = 3
            }
            if space {
                inWord = false
                i += width
            } else {
                if !inWord { words += 1; inWord = true }
                i += 1
            }
        }
        return words
    }
}
