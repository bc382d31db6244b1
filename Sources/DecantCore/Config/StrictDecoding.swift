/// A coding key for any string, used to list the keys a JSON object really has.
package struct AnyCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension Decoder {
    /// Throws `ConfigError.unknownKey` for the first key of this object that `Keys` does not name.
    package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
        where !known.contains(key.stringValue) {
            throw ConfigError.unknownKey(keyPath: joinedKeyPath(codingPath + [key]))
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional key, falling back to `fallback` when the key is absent; `null` is refused.
    package func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        guard contains(key) else { return fallback }
        if try decodeNil(forKey: key) {
            throw ConfigError.invalidValue(keyPath: path(key), reason: "must not be null (leave the key out for its default)")
        }
        return try decode(T.self, forKey: key)
    }

    /// Decodes a number key within its `ConfigLimits` range, falling back to `fallback` when absent.
    package func number(_ key: Key, or fallback: Double) throws -> Double {
        guard contains(key) else { return fallback }
        return try limited(key)
    }

    /// Decodes a whole-number key within its `ConfigLimits` range, falling back to `fallback` when absent.
    ///
    /// The JSON number is read as a double first, so that `4.5`, `1e30` or `9223372036854775808`
    /// get an error naming the key rather than the decoder's "not representable".
    package func integer(_ key: Key, or fallback: Int) throws -> Int {
        guard contains(key) else { return fallback }
        return Int(try limited(key))
    }

    private func limited(_ key: Key) throws -> Double {
        let keyPath = path(key)
        guard let limit = ConfigLimits.limit(codingPath + [key]) else {
            throw ConfigError.invalidValue(keyPath: keyPath, reason: "has no defined range (a bug in Decant)")
        }
        if try decodeNil(forKey: key) {
            throw ConfigError.invalidValue(keyPath: keyPath, reason: "must not be null (leave the key out for its default)")
        }
        let outOfRange = ConfigError.invalidValue(keyPath: keyPath, reason: "must be in the range \(limit.text)")
        let value: Double
        do {
            value = try decode(Double.self, forKey: key)
        } catch DecodingError.typeMismatch {
            throw ConfigError.wrongType(keyPath: keyPath, expected: limit.integer ? "an integer" : "a number")
        } catch is DecodingError {
            throw outOfRange
        } catch {
            throw outOfRange  // a number beyond Double (1e400)
        }
        guard value.isFinite else { throw outOfRange }
        if limit.integer && value != value.rounded() {
            throw ConfigError.invalidValue(keyPath: keyPath, reason: "must be a whole number")
        }
        guard value >= limit.min && value <= limit.max else { throw outOfRange }
        return value
    }

    package func path(_ key: Key) -> String { joinedKeyPath(codingPath + [key]) }
}

/// Joins a coding path into a dotted key path such as `fetch.timeoutSeconds` or `output.formats[1]`.
package func joinedKeyPath(_ path: [any CodingKey]) -> String {
    var out = ""
    for key in path {
        if let index = key.intValue {
            out += "[\(index)]"
        } else {
            out += out.isEmpty ? key.stringValue : "." + key.stringValue
        }
    }
    return out.isEmpty ? "(top level)" : out
}
