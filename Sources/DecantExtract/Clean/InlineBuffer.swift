/// Accumulates one block's inline content as plain text and as markdown, collapsing whitespace.
struct InlineBuffer {
    private(set) var text: [UInt8] = []
    private(set) var markdown: [UInt8] = []
    /// A space is owed before the next visible character (collapsed whitespace).
    private var pendingSpace = false
    /// Inside `<pre>`: keep whitespace and line breaks as they are.
    var preformatted = false

    var isEmpty: Bool { text.isEmpty }

    init() {
        text.reserveCapacity(1024)
        markdown.reserveCapacity(1200)
    }

    /// Appends a text node's bytes; `escape` escapes markdown syntax characters.
    mutating func appendText(_ bytes: UnsafePointer<UInt8>, escape: Bool = true) {
        var k = 0
        if preformatted {
            while bytes[k] != 0 {
                text.append(bytes[k]); markdown.append(bytes[k]); k += 1
            }
            return
        }
        while true {
            let b = bytes[k]
            if b == 0 { break }
            k += 1
            if b == 32 || b == 10 || b == 9 || b == 13 || b == 12 {
                pendingSpace = true
                continue
            }
            // U+00A0 no-break space reads as a space.
            if b == 0xC2 && bytes[k] == 0xA0 { k += 1; pendingSpace = true; continue }
            flushSpace()
            text.append(b)
            if escape && Self.needsEscape(b) { markdown.append(UInt8(ascii: "\\")) }
            markdown.append(b)
        }
    }

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "*") || b == UInt8(ascii: "_") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
            || b == UInt8(ascii: "`") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "<")
    }

    @inline(__always)
    private mutating func flushSpace() {
        if pendingSpace {
            if !text.isEmpty && text.last != 10 { text.append(32); markdown.append(32) }
            pendingSpace = false
        }
    }

    /// A line break inside the block (`<br>`).
    mutating func lineBreak() {
        pendingSpace = false
        while text.last == 32 { text.removeLast() }
        while markdown.last == 32 { markdown.removeLast() }
        guard !text.isEmpty else { return }
        text.append(10)
        markdown.append(contentsOf: [32, 32, 10])
    }

    /// True when the block ends with two line breaks (`<br><br>`: a paragraph break).
    var endsWithBlankLine: Bool {
        text.count >= 2 && text[text.count - 1] == 10 && text[text.count - 2] == 10
    }

    /// Opens a markdown span (emphasis, code, link text); returns where it starts.
    mutating func openMarker(_ marker: String) -> Int {
        flushSpaceIfText()
        let start = markdown.count
        markdown.append(contentsOf: marker.utf8)
        return start
    }

    /// Closes a span opened at `start`; an empty span is removed. `suffix` follows the content.
    mutating func closeMarker(at start: Int, opener: String, suffix: String) {
        var trailing = false
        while markdown.last == 32 && markdown.count > start { markdown.removeLast(); trailing = true }
        if markdown.count == start + opener.utf8.count {
            markdown.removeLast(opener.utf8.count)
        } else {
            markdown.append(contentsOf: suffix.utf8)
        }
        if trailing { pendingSpace = true }
    }

    private mutating func flushSpaceIfText() {
        if pendingSpace && !text.isEmpty && text.last != 10 {
            text.append(32); markdown.append(32)
        }
        pendingSpace = false
    }

    /// Takes the block's text and markdown (trimmed) and empties the buffer.
    mutating func take() -> (text: String, markdown: String) {
        defer { text.removeAll(keepingCapacity: true); markdown.removeAll(keepingCapacity: true); pendingSpace = false }
        return (Self.trimmed(text), Self.trimmed(markdown))
    }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == 32 || bytes[lo] == 10) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == 32 || bytes[hi - 1] == 10) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
