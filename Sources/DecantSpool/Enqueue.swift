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
        let tmp = "\(layout.tmp)/.\(name).\(getpid()).0.tmp"
        guard let file = fopen(tmp, "wx") else {
            throw .io(path: tmp, operation: "create", errno: errno)
        }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        var count = 0
        while let raw = next() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if fputs(line + "\n", file) < 0 {
                fclose(file)
                throw .io(path: tmp, operation: "write", errno: errno)
            }
            count += 1
        }
        if fflush(file) != 0 || fsync(fileno(file)) != 0 {
            let e = errno
            fclose(file)
            throw .io(path: tmp, operation: "write", errno: e)
        }
        fclose(file)
        if count == 0 { return (nil, 0) }
        let destination = "\(layout.inbox)/\(name)"
        if rename(tmp, destination) != 0 {
            throw .io(path: destination, operation: "rename", errno: errno)
        }
        ok = true
        AtomicFile.syncDirectory(layout.inbox)
        return (destination, count)
    }
}
