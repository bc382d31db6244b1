import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Reads claimed job files in work/ into the journal, a bounded batch at a time, in claim order.
///
/// Each batch of URLs and the new read position are committed together, so after a crash reading
/// resumes exactly after the last committed line. A file read to its end is removed before its
/// journal row (a crash in between leaves a row without a file, which `refresh` drops).
final class JobIngest {
    let layout: SpoolLayout
    let journal: Journal
    let delivery: Delivery
    let logger: Logger
    var windowHours: Double
    static let batchLines = 500

    private var jobs: [Journal.JobRecord] = []
    private var reader: JobFileReader?
    private var readerJob: String?

    init(layout: SpoolLayout, journal: Journal, delivery: Delivery, logger: Logger, windowHours: Double) {
        self.layout = layout
        self.journal = journal
        self.delivery = delivery
        self.logger = logger
        self.windowHours = windowHours
    }

    /// True while some claimed job file has lines left to read.
    var hasJobs: Bool { !jobs.isEmpty }

    /// Re-reads the job list: work files unknown to the journal (claimed just before a crash) are
    /// added from their start; rows whose file is gone are dropped.
    func refresh() throws(SpoolError) {
        let files = Set(SpoolLayout.visibleNames(in: layout.work))
        var known = try journal.jobs()
        for record in known where !files.contains(record.name) { try journal.removeJob(record.name) }
        let names = Set(known.map(\.name))
        for name in files.sorted() where !names.contains(name) { try journal.addJob(name) }
        known = try journal.jobs()
        jobs = known.filter { files.contains($0.name) }
        if let readerJob, !jobs.contains(where: { $0.name == readerJob }) { reader = nil; self.readerJob = nil }
    }

    /// Records a job just claimed into work/.
    func added(_ name: String) throws(SpoolError) {
        try journal.addJob(name)
        jobs.append(Journal.JobRecord(name: name, offset: 0, lines: 0))
    }

    /// Reads at most `budget` lines into the journal; returns how many URLs were queued.
    func ingest(budget: Int) throws(SpoolError) -> Int {
        var left = budget
        var queued = 0
        while left > 0, let job = jobs.first {
            guard let reader = try open(job) else { continue }
            var urls: [(url: String, line: Int, options: JobOptions)] = []
            var last: JobFileReader.Line?
            var ended = false
            do {
                while urls.count < Self.batchLines && left > 0 {
                    guard let line = try reader.next() else { ended = true; break }
                    left -= 1
                    last = line
                    switch line.kind {
                    case .url(let url, let options): urls.append((url, line.number, options))
                    case .skip: break
                    case .malformed(let text, let reason):
                        try delivery.writeFailedLine(job: job.name, line: line.number, text: text, error: reason)
                        try journal.recordFailure("\(job.name):\(line.number) \(text)", reason: reason)
                        logger.info("failed line \(line.number) of \(job.name): \(reason): \(text)")
                    }
                }
            } catch let failure as JobFileReader.Failure {
                try failJob(job.name, reason: failure.description)
                continue
            } catch let error as SpoolError {
                throw error
            } catch {
                throw .failure(path: job.name, operation: "read job", reason: "\(error)")
            }
            if let last {
                let result = try journal.ingest(job: job.name, urls: urls, offset: last.endOffset, lines: last.number,
                                                windowHours: windowHours)
                for url in result.requeuedFailedURLs { delivery.removeFailed(key: Delivery.key(url)) }
                queued += result.queued
                if result.recent > 0 {
                    logger.info("skipped \(result.recent) URL(s) of \(job.name) delivered within the duplicate window")
                }
            }
            if ended { try finish(job.name) }
        }
        return queued
    }

    private func open(_ job: Journal.JobRecord) throws(SpoolError) -> JobFileReader? {
        if readerJob == job.name, let reader { return reader }
        do {
            let r = try JobFileReader(path: "\(layout.work)/\(job.name)", offset: job.offset, linesBefore: job.lines,
                                      formats: Set(delivery.formats.map(\.rawValue)).union(["json"]))
            reader = r
            readerJob = job.name
            if job.offset > 0 { logger.info("resuming job \(job.name) at line \(job.lines + 1)") }
            return r
        } catch {
            try failJob(job.name, reason: error.description)
            return nil
        }
    }

    private func finish(_ name: String) throws(SpoolError) {
        reader = nil
        readerJob = nil
        if unlink("\(layout.work)/\(name)") != 0 && errno != ENOENT {
            throw .io(path: "\(layout.work)/\(name)", operation: "remove finished job", errno: errno)
        }
        try journal.removeJob(name)
        jobs.removeAll { $0.name == name }
        logger.debug("job \(name) read to its end")
    }

    private func failJob(_ name: String, reason: String) throws(SpoolError) {
        reader = nil
        readerJob = nil
        try delivery.failJob(name: name, error: reason)
        try journal.recordFailure(name, reason: reason)
        try journal.removeJob(name)
        jobs.removeAll { $0.name == name }
        logger.info("failed job file \(name): \(reason)")
    }
}
