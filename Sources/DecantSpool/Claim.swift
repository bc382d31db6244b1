import Foundation
import Synchronization
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
///
/// A file stamped later than the service's clock (a producer whose clock is ahead, `touch -d`) has no
/// usable age: it counts as changed when first seen with that size and stamp, so it is claimed
/// `stableSeconds` after that instead of waiting for its stamp to come.
public struct Claim: Sendable {
    public let layout: SpoolLayout
    /// When each inbox file stamped in the future was first seen as it is (shared by copies of this value).
    private let firstSeen = FirstSeen()

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
        let t = now.timeIntervalSince1970
        var future: [String: FirstSeen.Stamp] = [:]
        for name in SpoolLayout.visibleNames(in: layout.inbox) {
            guard let st = FileStat.of("\(layout.inbox)/\(name)") else { continue }
            var changed = st.mtime
            if st.mtime > t {
                var stamp = FirstSeen.Stamp(mtime: st.mtime, size: st.size, seen: t)
                if let known = firstSeen.stamp(of: name), known.mtime == stamp.mtime, known.size == stamp.size {
                    stamp = known
                }
                future[name] = stamp
                changed = min(t, stamp.seen)
            }
            if t - changed >= stableSeconds {
                ready.append((name, changed))
            } else {
                scan.waiting += 1
                let at = Date(timeIntervalSince1970: changed + stableSeconds)
                scan.nextStable = min(scan.nextStable ?? at, at)
            }
        }
        firstSeen.replace(with: future)
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

/// The first sighting of inbox files whose stamp lies ahead of the clock, by name; only the files
/// of the latest scan are kept, so it holds no more than the inbox does.
final class FirstSeen: Sendable {
    struct Stamp: Sendable {
        var mtime: Double
        var size: Int
        var seen: Double
    }
    private let stamps = Mutex<[String: Stamp]>([:])

    func stamp(of name: String) -> Stamp? { stamps.withLock { $0[name] } }

    func replace(with latest: [String: Stamp]) { stamps.withLock { $0 = latest } }
}
