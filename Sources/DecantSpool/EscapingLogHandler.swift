import Logging
import DecantCore

/// Wraps the service's log handler so that every message and metadata value reaches it with its
/// control characters escaped (`TextEscaping`): a job file cannot forge log lines.
struct EscapingLogHandler: LogHandler {
    var wrapped: any LogHandler

    init(wrapping handler: any LogHandler) {
        wrapped = handler is EscapingLogHandler ? (handler as! EscapingLogHandler).wrapped : handler
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(TextEscaping.escaped(event.message.description))"
        event.metadata = event.metadata?.mapValues { .string(TextEscaping.escaped($0.description)) }
        wrapped.log(event: event)
    }
}

extension Logger {
    /// This logger with every message's control characters escaped.
    var escapingControls: Logger {
        var logger = self
        logger.handler = EscapingLogHandler(wrapping: handler)
        return logger
    }
}
