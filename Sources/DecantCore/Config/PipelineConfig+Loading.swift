import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PipelineConfig {
    /// Decodes a configuration from JSON bytes; `source` names the file in errors.
    public static func decode(_ data: Data, source: String = "pipeline.json") throws(ConfigError) -> PipelineConfig {
        if let duplicate = DuplicateKeyScanner.firstDuplicate(in: data) { throw .duplicateKey(keyPath: duplicate) }
        do {
            return try JSONDecoder().decode(PipelineConfig.self, from: data)
        } catch let error as ConfigError {
            throw error
        } catch let error as DecodingError {
            throw ConfigError(decodingError: error, source: source)
        } catch {
            throw ConfigError.malformedJSON(path: source, reason: "\(error)")
        }
    }

    /// Loads `path`, or `./pipeline.json` when present, else returns the built-in defaults.
    ///
    /// The returned configuration's spool path is made absolute relative to the file's folder.
    public static func load(path: String?) throws(ConfigError) -> PipelineConfig {
        let fm = FileManager.default
        let chosen: String
        if let path {
            chosen = path
        } else if fm.fileExists(atPath: "pipeline.json") {
            chosen = "pipeline.json"
        } else {
            var config = PipelineConfig()
            config.spool = absolute(config.spool, relativeTo: fm.currentDirectoryPath)
            return config
        }
        let data = try readFile(chosen)
        var config = try decode(data, source: chosen)
        let folder = URL(fileURLWithPath: chosen).standardizedFileURL.deletingLastPathComponent().path
        config.spool = absolute(config.spool, relativeTo: folder)
        return config
    }

    /// Configuration files larger than this are refused (a real one is a few hundred bytes).
    package static let maxFileBytes = 1 << 20

    /// Reads a configuration file with plain POSIX calls, so every failure has a readable reason.
    package static func readFile(_ path: String) throws(ConfigError) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable(path: path, reason: "is a folder, not a file")
        default: throw .unreadable(path: path, reason: "is not a regular file")
        }
        guard st.st_size <= maxFileBytes else {
            throw .unreadable(path: path, reason: "larger than \(maxFileBytes) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: maxFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            count += n
        }
        guard count <= maxFileBytes else { throw .unreadable(path: path, reason: "larger than \(maxFileBytes) bytes") }
        return Data(bytes[0..<count])
    }

    package static func absolute(_ path: String, relativeTo folder: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
    }
}

extension ConfigError {
    package init(decodingError: DecodingError, source: String) {
        switch decodingError {
        case .typeMismatch(let type, let context):
            self = .wrongType(keyPath: joinedKeyPath(context.codingPath), expected: Self.describe(type))
        case .valueNotFound(let type, let context):
            self = .wrongType(keyPath: joinedKeyPath(context.codingPath), expected: Self.describe(type))
        case .keyNotFound(let key, let context):
            self = .invalidValue(keyPath: joinedKeyPath(context.codingPath + [key]), reason: "is required")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self = .malformedJSON(path: source, reason: context.debugDescription)
            } else {
                self = .invalidValue(keyPath: joinedKeyPath(context.codingPath), reason: context.debugDescription)
            }
        @unknown default:
            self = .malformedJSON(path: source, reason: "\(decodingError)")
        }
    }

    package static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is [OutputConfig.Format].Type: "an array of strings"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
