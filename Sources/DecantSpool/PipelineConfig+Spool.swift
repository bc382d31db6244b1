import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DecantCore

extension PipelineConfig {
    /// Creates the configured spool's folders and checks them, and the validators database's path,
    /// before a command uses them; a problem is a configuration error naming `spool` or
    /// `fetch.validatorsDatabase` (exit 2), not a failure of the run.
    public func prepareSpool() throws(ConfigError) -> SpoolLayout {
        try checkWebhookAddress()
        let layout = SpoolLayout(root: spool)
        do {
            try layout.create()
        } catch {
            throw .invalidValue(keyPath: "spool", reason: "cannot be used as the spool: \(error)")
        }
        if let path = validatorsPath {
            var st = stat()
            if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                throw .invalidValue(keyPath: "fetch.validatorsDatabase", reason: "\(path) is not a regular file")
            }
            let parent = (path as NSString).deletingLastPathComponent
            if parent != layout.root {
                do { try SpoolLayout.makeFolder(parent) } catch {
                    throw .invalidValue(keyPath: "fetch.validatorsDatabase", reason: "cannot hold the database: \(error)")
                }
            }
        }
        return layout
    }
}
