import Foundation

/// Finds a key written twice in one JSON object, which `JSONDecoder` accepts silently (keeping one
/// of the values). One pass over the bytes with a bounded stack; anything that is not JSON ends the
/// scan without a finding, so the decoder reports the syntax error.
package enum DuplicateKeyScanner {
    /// Containers nested deeper than this are left to the decoder.
    package static let maxDepth = 256

    private enum Frame {
        case object(keys: Set<String>, key: String?)
        case array(index: Int)
    }

    private enum State { case value, firstKey, key, firstElement, afterValue }

    /// The key path of the first duplicate key (`fetch.timeoutSeconds`), nil when every key is unique.
    package static func firstDuplicate(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var stack: [Frame] = []
        var state = State.value
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        while true {
            skipSpace()
            guard i < bytes.count else { return nil }
            let b = bytes[i]
            switch state {
            case .value:
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard stack.count < maxDepth else { return nil }
                    i += 1
                    if b == UInt8(ascii: "{") {
                        stack.append(.object(keys: [], key: nil))
                        state = .firstKey
                    } else {
                        stack.append(.array(index: 0))
                        state = .firstElement
                    }
                case UInt8(ascii: "\""):
                    guard scanString(bytes, &i) != nil else { return nil }
                    state = .afterValue
                default:
                    let start = i
                    while i < bytes.count, !" \t\r\n,]}:{[\"".utf8.contains(bytes[i]) { i += 1 }
                    if i == start { return nil }
                    state = .afterValue
                }
            case .firstKey:
                if b == UInt8(ascii: "}") { i += 1; stack.removeLast(); state = .afterValue } else { state = .key }
            case .firstElement:
                if b == UInt8(ascii: "]") { i += 1; stack.removeLast(); state = .afterValue } else { state = .value }
            case .key:
                guard b == UInt8(ascii: "\""), let key = scanString(bytes, &i),
                      case .object(var keys, _)? = stack.last else { return nil }
                if keys.contains(key) { return path(stack.dropLast(), key) }
                keys.insert(key)
                stack[stack.count - 1] = .object(keys: keys, key: key)
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                state = .value
            case .afterValue:
                guard let top = stack.last else { return nil }
                i += 1
                switch (top, b) {
                case (.object, UInt8(ascii: ",")): state = .key
                case (.array(let index), UInt8(ascii: ",")):
                    stack[stack.count - 1] = .array(index: index + 1)
                    state = .value
                case (.object, UInt8(ascii: "}")), (.array, UInt8(ascii: "]")):
                    stack.removeLast()
                default: return nil
                }
            }
        }
    }

    /// Reads the string starting at the quote at `i`, leaves `i` after its closing quote.
    private static func scanString(_ bytes: [UInt8], _ i: inout Int) -> String? {
        var j = i + 1
        var escaped = false
        while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
            if bytes[j] == UInt8(ascii: "\\") { escaped = true; j += 1 }
            j += 1
        }
        guard j < bytes.count else { return nil }
        let raw = bytes[i...j]
        i = j + 1
        if !escaped { return String(decoding: raw.dropFirst().dropLast(), as: UTF8.self) }
        // Escapes (\u0061 is "a") are decoded by Foundation's parser, not by hand.
        return (try? JSONSerialization.jsonObject(with: Data(raw), options: .fragmentsAllowed)) as? String
    }

    private static func path(_ frames: ArraySlice<Frame>, _ last: String) -> String {
        var out = ""
        for frame in frames {
            switch frame {
            case .object(_, let key?): out += out.isEmpty ? key : "." + key
            case .object(_, nil): break
            case .array(let index): out += "[\(index)]"
            }
        }
        return out.isEmpty ? last : out + "." + last
    }
}
