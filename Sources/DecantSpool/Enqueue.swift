import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DecantCore

/// Drops URLs into the inbox as one job file, written in tmp/ and renamed into inbox/ (Maildir rule).
public enum SpoolEnqueue {
    /// Writes the URLs `next()` yields (streamed, any number) and returns the job file's path and URL count.
    /// Blank lines and `#` comments are skipped; nothing is written when there is no URL.
    public static func write(to layout: SpoolLayout, next: () -> String?) throws(SpoolError) -> (path: String?, count: Int) {
        try layout.create()
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)
            .dateSeparator(.omitted).timeSeparator(.omitted).dateTimeSeparator(.standard))
        let name = "\(stamp)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).urls"
        let destination = "\(layout.inbox)/\(name)"
        var count = 0
        do {
            let written = try AtomicFile.write(to: destination, tempDirectory: layout.tmp) {
                (file: AtomicFile.Writer) throws(AtomicFile.Failure) -> Bool in
                while let raw = next() {
                    let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    try file.write(line + "\n")
                    count += 1
                }
                return count > 0
            }
            return (written ? destination : nil, count)
        } catch {
            switch error {
            case .io(let path, let operation, let code): throw .io(path: path, operation: operation, errno: code)
            }
        }
    }
}
