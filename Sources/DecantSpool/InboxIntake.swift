import Foundation
import Logging

/// The service's intake job: claims complete job files from inbox/ into work/ and hands them to
/// `JobIngest`. A file that cannot be moved is logged once and left in the inbox.
final class InboxIntake {
    private let claim: Claim
    private let ingest: JobIngest
    private let logger: Logger
    /// Inbox names whose claim failed and was logged (each is logged once; bounded).
    private var claimFailuresLogged: Set<String> = []
    static let maxFailuresRemembered = 10_000

    init(claim: Claim, ingest: JobIngest, logger: Logger) {
        self.claim = claim
        self.ingest = ingest
        self.logger = logger
    }

    /// What one pass over the inbox did.
    struct Pass {
        var scan: Claim.Scan
        var claimed = 0
        /// The journal could not record a claimed file (named): the pass stopped there.
        var journalError: (SpoolError, String)?
    }

    /// Claims every job file unchanged for `stableSeconds`.
    func claimReady(stableSeconds: Double, now: Date) -> Pass {
        var pass = Pass(scan: claim.scan(stableSeconds: stableSeconds, now: now))
        for name in pass.scan.ready {
            let workName: String?
            do {
                workName = try claim.claim(name)
            } catch {
                if claimFailuresLogged.count < Self.maxFailuresRemembered, claimFailuresLogged.insert(name).inserted {
                    logger.error("cannot claim inbox/\(name): \(error)")
                }
                continue
            }
            guard let workName else { continue }
            do {
                try ingest.added(workName)
            } catch {
                pass.journalError = (error, workName)
                break
            }
            pass.claimed += 1
            logger.info("claimed job \(name)\(workName == name ? "" : " as \(workName)")")
        }
        return pass
    }
}
