import DecantCore

extension FetchConfig {
    /// URLs a spool service or cluster node has in flight at most: twice the fetch concurrency,
    /// between 8 and 4096 — enough to keep every host queue of the fetcher busy, and bounded.
    package static func urlsInFlight(concurrency: Int) -> Int {
        min(4096, max(8, SaturatingTime.multiplying(concurrency, 2)))
    }
}
