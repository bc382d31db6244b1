import Foundation
import Logging
import DecantCore

/// SIGHUP's configuration check: what of a newly loaded configuration the running service applies.
enum ConfigReload {
    /// The configuration `load` returns, with the spool kept as `current` has it (it cannot move
    /// while running); nil when it cannot be loaded (logged with its key path; the old one stays).
    static func load(_ load: () throws -> PipelineConfig, current: PipelineConfig, logger: Logger) -> PipelineConfig? {
        var new: PipelineConfig
        do {
            new = try load()
        } catch {
            logger.error("configuration reload failed, keeping the current configuration: \(error)")
            return nil
        }
        if new.spool != current.spool {
            logger.warning("configuration reload: 'spool' cannot change while running (restart to move the spool); keeping \(current.spool)")
            new.spool = current.spool
        }
        if new.output.warc != current.output.warc || new.output.warcMaxBytes != current.output.warcMaxBytes {
            logger.warning("configuration reload: 'output.warc' and 'output.warcMaxBytes' take effect at the next start")
            new.output.warc = current.output.warc
            new.output.warcMaxBytes = current.output.warcMaxBytes
        }
        if new.output.deliveryLog != current.output.deliveryLog || new.output.webhook != current.output.webhook {
            logger.warning("configuration reload: 'output.deliveryLog' and 'output.webhook' take effect at the next start")
            new.output.deliveryLog = current.output.deliveryLog
            new.output.webhook = current.output.webhook
        }
        return new
    }
}
