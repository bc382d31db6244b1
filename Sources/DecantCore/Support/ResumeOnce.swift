import Synchronization

/// A continuation resumed exactly once, by whichever comes first: the result or a cancellation.
package final class ResumeOnce<T: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<T, Never>)
        /// Resumed (or cancelled before the continuation was set) with this value.
        case finished(T)
    }
    private let state = Mutex(State.idle)

    package init() {}

    package var isFinished: Bool { state.withLock { if case .finished = $0 { true } else { false } } }

    package func set(_ continuation: CheckedContinuation<T, Never>) {
        let early: T? = state.withLock { s in
            switch s {
            case .idle: s = .waiting(continuation); return nil
            case .finished(let value): return value
            case .waiting: return nil
            }
        }
        if let early { continuation.resume(returning: early) }
    }

    package func resume(_ value: T) {
        let waiting: CheckedContinuation<T, Never>? = state.withLock { s in
            switch s {
            case .idle: s = .finished(value); return nil
            case .waiting(let c): s = .finished(value); return c
            case .finished: return nil
            }
        }
        waiting?.resume(returning: value)
    }
}
