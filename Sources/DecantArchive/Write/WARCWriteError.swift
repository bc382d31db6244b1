/// What went wrong writing a WARC file, and where.
public enum WARCWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call on `path` failed; `errno` is the system's code.
    case io(path: String, operation: String, errno: Int32)
    /// The writer was finished and cannot take more records.
    case finished

    public var description: String {
        switch self {
        case .io(let path, let op, let e): "\(op) \(path): \(String(cString: strerror(e)))"
        case .finished: "the WARC writer is finished"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
