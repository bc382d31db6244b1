/// What is wrong with a pipeline.json, naming the offending key path.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid JSON.
    case malformedJSON(path: String, reason: String)
    /// A key the configuration does not know (a typo, or a setting of another version).
    case unknownKey(keyPath: String)
    /// A value of the wrong JSON type.
    case wrongType(keyPath: String, expected: String)
    /// A value of the right type outside the allowed range or set.
    case invalidValue(keyPath: String, reason: String)
    /// A key written twice in one object (JSON parsers would silently keep one of the values).
    case duplicateKey(keyPath: String)

    public var keyPath: String? {
        switch self {
        case .unreadable, .malformedJSON: nil
        case .unknownKey(let k), .wrongType(let k, _), .invalidValue(let k, _), .duplicateKey(let k): k
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read configuration file \(path) (--config): \(reason)"
        case .malformedJSON(let path, let reason): "configuration \(path) is not valid JSON: \(reason)"
        case .unknownKey(let k): "unknown configuration key '\(k)'"
        case .wrongType(let k, let expected): "configuration key '\(k)' must be \(expected)"
        case .invalidValue(let k, let reason): "configuration key '\(k)' \(reason)"
        case .duplicateKey(let k): "configuration key '\(k)' appears twice"
        }
    }
}
