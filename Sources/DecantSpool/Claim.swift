import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds job files in inbox/ that are complete and claims them by an atomic rename into work/.
///
/// A file counts as complete once it has not changed for `queue.stableSeconds`, so a producer that
/// appends with `echo >> inbox/x` is never read half-way; writers that go through tmp/ (like
/// `decant enqueue`) are complete as soon as they appear.
///
/// Entries that are not regular files (symbolic links, FIFOs, folders) are claimed too, so that the
/// reader refuses them once, with a record in failed/, instead of leaving them in the inbox forever.
public struct Claim: Sendable {
    public let layout: SpoolLayout

    public init(layout: SpoolLayout) { self.layout = layout }

    /// What a look at the inbox found.
    public struct Scan: Sendable, Equatable {
        /// Files unchanged for long enough, oldest first.
        public var ready: [String] = []
        /// Files still changing, and when the earliest of them may be stable.
        public var waiting = 0
        public var nextStable: Date?
    }

    /// Looks at the inbox; bounded to `limit` ready files per look.
    public func scan(stableSeconds: Double, now: Date = Date(), limit: Int = 1000) -> Scan {
        var scan = Scan()
        var ready: [(String, Double)] = []
        for name in SpoolLayout.visibleNames(in: layout.inbox) {
            guard let st = FileStat.of("\(layout.inbox)/\(name)") else { continue }
            let age = now.timeIntervalSince1970 - st.mtime
            if age >= stableSeconds {
                ready.append((name, st.mtime))
            } else {
                scan.waiting += 1
                let at = Date(timeIntervalSince1970: st.mtime + stableSeconds)
                scan.nextStable = min(scan.nextStable ?? at, at)
            }
        }
        scan.ready = ready.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
        return scan
    }

    /// Moves `inbox/name` to work/ (under a free name) and returns the work name; nil when the file vanished.
    public func claim(_ name: String) throws(SpoolError) -> String? {
        let base = SpoolName.bounded(name)
        var target = base
        var n = 1
        var st = stat()
        while lstat("\(layout.work)/\(target)", &st) == 0 {
            n += 1
            target = "\(SpoolName.bounded(name, limit: SpoolName.maxBytes - 8)).\(n)"
            if n > 10_000 { throw .io(path: layout.work, operation: "find a free name for \(name)", errno: EEXIST) }
        }
        if rename("\(layout.inbox)/\(name)", "\(layout.work)/\(target)") != 0 {
            if errno == ENOENT { return nil }
            throw .io(path: "\(layout.inbox)/\(name)", operation: "claim", errno: errno)
        }
        return target
    }
}
