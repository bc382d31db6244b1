import Foundation

/// Encodes an `Encodable` value as JSON through `JSONWriter`, keys sorted (like `JSONEncoder` with
/// `.sortedKeys` and `.withoutEscapingSlashes`); a `JSONWritable` member writes itself.
public struct JSONValueEncoder: Sendable {
    public var style: JSONWriter.Style

    public init(style: JSONWriter.Style = .pretty) { self.style = style }

    /// The JSON text of `value`, without a final newline.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = Slot()
        try root.store(value, path: [])
        var writer = JSONWriter(style: style)
        root.write(to: &writer)
        return writer.data
    }
}

/// One value being built: a leaf, an object or an array (filled in place by the containers).
private final class Slot {
    enum Leaf { case null, bool(Bool), number(String), string(String), writable(any JSONWritable) }

    var leaf: Leaf?
    var object: [String: Slot]?
    var array: [Slot]?

    func store<T: Encodable>(_ value: T, path: [any CodingKey]) throws {
        if let w = value as? any JSONWritable { leaf = .writable(w); return }
        try value.encode(to: TreeEncoder(slot: self, codingPath: path))
    }

    func member(_ key: String) -> Slot {
        let s = Slot()
        if object == nil { object = [:] }
        object![key] = s
        return s
    }

    func element() -> Slot {
        let s = Slot()
        if array == nil { array = [] }
        array!.append(s)
        return s
    }

    func write(to w: inout JSONWriter) {
        if let leaf {
            switch leaf {
            case .null: w.null()
            case .bool(let b): w.bool(b)
            case .number(let n): w.number(n)
            case .string(let s): w.string(s)
            case .writable(let v): v.writeJSON(to: &w)
            }
        } else if let array {
            w.beginArray()
            for s in array { s.write(to: &w) }
            w.endArray()
        } else {
            w.beginObject()
            for (key, s) in (object ?? [:]).sorted(by: { $0.key < $1.key }) {
                w.key(key)
                s.write(to: &w)
            }
            w.endObject()
        }
    }
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.object == nil { slot.object = [:] }
        return KeyedEncodingContainer(Keyed(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.array == nil { slot.array = [] }
        return Unkeyed(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot, codingPath: codingPath) }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    func encodeNil(forKey key: Key) { slot.member(key.stringValue).leaf = .null }
    func encode(_ v: Bool, forKey key: Key) { slot.member(key.stringValue).leaf = .bool(v) }
    func encode(_ v: String, forKey key: Key) { slot.member(key.stringValue).leaf = .string(v) }
    func encode(_ v: Double, forKey key: Key) { slot.member(key.stringValue).leaf = Single.number(v) }
    func encode(_ v: Float, forKey key: Key) { slot.member(key.stringValue).leaf = Single.number(Double(v)) }
    func encode(_ v: Int, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: Int8, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: Int16, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: Int32, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: Int64, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: UInt, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: UInt8, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: UInt16, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: UInt32, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }
    func encode(_ v: UInt64, forKey key: Key) { slot.member(key.stringValue).leaf = .number(String(v)) }

    func encode<T: Encodable>(_ v: T, forKey key: Key) throws {
        try slot.member(key.stringValue).store(v, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                               forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { TreeEncoder(slot: slot.member("super"), codingPath: codingPath) }

    func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.array?.count ?? 0 }

    func encodeNil() { slot.element().leaf = .null }
    func encode(_ v: Bool) { slot.element().leaf = .bool(v) }
    func encode(_ v: String) { slot.element().leaf = .string(v) }
    func encode(_ v: Double) { slot.element().leaf = Single.number(v) }
    func encode(_ v: Float) { slot.element().leaf = Single.number(Double(v)) }
    func encode(_ v: Int) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: Int8) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: Int16) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: Int32) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: Int64) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: UInt) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: UInt8) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: UInt16) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: UInt32) { slot.element().leaf = .number(String(v)) }
    func encode(_ v: UInt64) { slot.element().leaf = .number(String(v)) }

    func encode<T: Encodable>(_ v: T) throws { try slot.element().store(v, path: codingPath) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot.element(), codingPath: codingPath).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.element(), codingPath: codingPath).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { TreeEncoder(slot: slot.element(), codingPath: codingPath) }
}

private struct Single: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    /// A finite number in `JSONEncoder`'s form (no `.0` on whole numbers); `null` for NaN and infinities.
    static func number(_ d: Double) -> Slot.Leaf {
        guard d.isFinite else { return .null }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return .number(s)
    }

    func encodeNil() { slot.leaf = .null }
    func encode(_ v: Bool) { slot.leaf = .bool(v) }
    func encode(_ v: String) { slot.leaf = .string(v) }
    func encode(_ v: Double) { slot.leaf = Self.number(v) }
    func encode(_ v: Float) { slot.leaf = Self.number(Double(v)) }
    func encode(_ v: Int) { slot.leaf = .number(String(v)) }
    func encode(_ v: Int8) { slot.leaf = .number(String(v)) }
    func encode(_ v: Int16) { slot.leaf = .number(String(v)) }
    func encode(_ v: Int32) { slot.leaf = .number(String(v)) }
    func encode(_ v: Int64) { slot.leaf = .number(String(v)) }
    func encode(_ v: UInt) { slot.leaf = .number(String(v)) }
    func encode(_ v: UInt8) { slot.leaf = .number(String(v)) }
    func encode(_ v: UInt16) { slot.leaf = .number(String(v)) }
    func encode(_ v: UInt32) { slot.leaf = .number(String(v)) }
    func encode(_ v: UInt64) { slot.leaf = .number(String(v)) }
    func encode<T: Encodable>(_ v: T) throws { try slot.store(v, path: codingPath) }
}
