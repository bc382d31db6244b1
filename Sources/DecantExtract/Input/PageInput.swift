import Foundation

/// Reads saved pages: files (`.html.gz` and any gzip data inflated transparently), stdin, or folders.
public enum PageInput {
    /// Reads one page; `-` is standard input.
    public static func read(_ path: String, limit: Int) throws(ExtractError) -> Data {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            } catch {
                throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason
                                  ?? (error as NSError).localizedDescription)
            }
        }
        guard Gzip.isGzip(data) else { return data }
        do {
            return try Gzip.decompress(data, limit: limit)
        } catch .tooLarge {
            throw .tooLarge(bytes: limit + 1, limit: limit)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// Expands folders into the page files they hold (`.html`, `.htm`, `.xhtml`, and those `.gz`), sorted.
    public static func expand(_ paths: [String]) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if path != "-", fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                guard let walker = fm.enumerator(atPath: path) else { continue }
                var found: [String] = []
                for case let rel as String in walker where isPageFile(rel) {
                    found.append((path as NSString).appendingPathComponent(rel))
                }
                out += found.sorted()
            } else {
                out.append(path)
            }
        }
        return out
    }

    static func isPageFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        let base = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
        return base.hasSuffix(".html") || base.hasSuffix(".htm") || base.hasSuffix(".xhtml")
    }
}
