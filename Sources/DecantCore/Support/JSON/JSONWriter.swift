import Foundation

/// Writes JSON byte by byte, pretty-printed like `JSONEncoder` (`"key" : value`, two-space indent) or compact.
/// The one JSON writer: articles, spool records and `JSONValueEncoder`'s output all go through it.
public struct JSONWriter {
    /// Pretty: one member per line, indented; compact: no white space at all (one line, for JSON Lines).
    public enum Style: Sendable { case pretty, compact }

    @usableFromInline var out: [UInt8] = []
    @usableFromInline let pretty: Bool
    /// One entry per open object or array: whether it has a member yet.
    @usableFromInline var open: [Bool] = []
    /// A key was written and its value is next (so no separator goes before it).
    @usableFromInline var afterKey = false

    public init(style: Style = .pretty, capacity: Int = 0) {
        pretty = style == .pretty
        out.reserveCapacity(capacity)
    }

    /// What has been written, as bytes.
    public var bytes: [UInt8] { out }

    /// What has been written, as `Data`.
    public var data: Data { Data(out) }

    public mutating func beginObject() { valueStart(); out.append(UInt8(ascii: "{")); open.append(false) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { valueStart(); out.append(UInt8(ascii: "[")); open.append(false) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A member's name inside an object; its value is the next thing written.
    @inlinable
    public mutating func key(_ name: String) {
        separator()
        escaped(name)
        if pretty { out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20]) } else { out.append(UInt8(ascii: ":")) }
        afterKey = true
    }

    /// A string value: quotes, backslashes and control characters escaped, the rest copied in runs.
    @inlinable
    public mutating func string(_ s: String) { valueStart(); escaped(s) }

    /// A string, or `null` when absent.
    @inlinable
    public mutating func optional(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// An array of strings, one per line when pretty (`[]` when empty).
    public mutating func list(_ items: [String]) {
        beginArray()
        for item in items { string(item) }
        endArray()
    }

    public mutating func int(_ n: Int) { number(String(n)) }

    /// A number already in JSON form (digits, sign, point, exponent), copied as it is.
    public mutating func number(_ text: String) { valueStart(); out.append(contentsOf: text.utf8) }

    public mutating func bool(_ b: Bool) { valueStart(); out.append(contentsOf: (b ? "true" : "false").utf8) }

    public mutating func null() { valueStart(); out.append(contentsOf: "null".utf8) }

    // MARK: - Layout

    /// Before a value: nothing after a key, a separator inside an array.
    @inlinable
    mutating func valueStart() {
        if afterKey { afterKey = false; return }
        if !open.isEmpty { separator() }
    }

    /// `,` after an earlier member, then a new line and the indent when pretty.
    @inlinable
    mutating func separator() {
        guard let last = open.indices.last else { return }
        if open[last] { out.append(UInt8(ascii: ",")) }
        open[last] = true
        if pretty { newline() }
    }

    @usableFromInline
    mutating func newline() {
        out.append(0x0A)
        for _ in 0..<open.count { out.append(0x20); out.append(0x20) }
    }

    mutating func close(_ bracket: UInt8) {
        let hadMembers = open.removeLast()
        if hadMembers && pretty { newline() }
        out.append(bracket)
    }

    @inlinable
    mutating func escaped(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                Self.escape(b, into: &out)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    @usableFromInline
    static func escape(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: "\\u00".utf8)
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
    }
}

/// A value that writes itself through `JSONWriter`; `JSONValueEncoder` hands such values their writer.
public protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter)
}
