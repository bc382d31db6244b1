import DecantArchive

/// Takes the HTTP exchanges a `Fetcher` made, raw, such as a WARC file writer does.
public protocol ExchangeRecorder: Sendable {
    /// Stores the exchanges of one transfer (redirects first); may wait while the store is behind.
    func record(_ exchanges: [WARCExchange]) async
}
