extension Journal.IngestResult {
    /// Nothing queued yet, for other backends to count into.
    public static let empty = Journal.IngestResult()
}

extension Journal.JobRecord {
    /// A job file's read position as another backend stores it.
    public init(job name: String, readTo offset: Int, lines: Int) {
        self.init(name: name, offset: offset, lines: lines)
    }
}
