import DecantCore
import DecantExtract
/// File names the service derives from names it was given (job files), bounded in length and safe
/// to create: no name a user picks can exceed the file system's 255 bytes or collide with a name
/// the service uses for something else.
public enum SpoolName {
    /// Longest name the service creates from a given name (temp names add their own suffix).
    public static let maxBytes = 200
    /// Bytes of a job's own name kept in its failed/ names.
    static let stemBytes = 64

    /// `name` itself when it is at most `limit` bytes; else its first bytes, `-`, and the hash of all of it.
    public static func bounded(_ name: String, limit: Int = maxBytes) -> String {
        guard name.utf8.count > limit else { return name }
        return prefix(name, bytes: max(1, limit - 17)) + "-" + Fingerprint.hash(name)
    }

    /// The base of a refused job file's names in failed/: `job-<stem>-<hash of the name>`. The stem
    /// keeps letters, digits, `.`, `_` and `-` of the name's first 64 bytes. Ending in the hash,
    /// a base never ends in `.json`, so it cannot be taken for a URL, line or job record.
    public static func failedJobBase(_ name: String) -> String {
        var stem = ""
        for scalar in name.unicodeScalars {
            if stem.utf8.count >= stemBytes { break }
            let v = scalar.value
            let keep = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || v == 0x2E || v == 0x5F || v == 0x2D
            stem.unicodeScalars.append(keep ? scalar : "_")
        }
        return "job-\(stem)-\(Fingerprint.hash(name))"
    }

    /// The first characters of `name` that fit in `bytes` UTF-8 bytes.
    static func prefix(_ name: String, bytes: Int) -> String { name.prefix(utf8Bytes: bytes) }
}
