import CCurl
import Foundation
import Synchronization
import DecantCore

/// Owns one libcurl multi handle (`CURLM*`) and the thread that drives it.
///
/// `perform` may be called from any task: requests go through a locked inbox to the loop thread,
/// which schedules them (`HostScheduler`), runs every transfer, and resumes the caller with a
/// Sendable `TransferResult`. Only that thread touches the multi handle, the easy handles and
/// the `Transfer` objects; the one exception is `curl_multi_wakeup`, which libcurl makes thread-safe.
final class CurlMulti: @unchecked Sendable {
    /// Options applied to every easy handle.
    struct Options: Sendable {
        var concurrency: Int
        var perHostConcurrency: Int
        var connectTimeoutMs: Int
        var timeoutMs: Int
        var lowSpeedLimit: Int
        var lowSpeedTime: Int
        var maxRedirects: Int
        var userAgent: String
        var allowPrivateNetworks: Bool
        var allowFileUrls: Bool

        init(_ config: FetchConfig) {
            concurrency = config.concurrency
            perHostConcurrency = config.perHostConcurrency
            connectTimeoutMs = max(1, SaturatingTime.milliseconds(config.connectTimeoutSeconds))
            timeoutMs = max(1, SaturatingTime.milliseconds(config.timeoutSeconds))
            lowSpeedLimit = config.lowSpeedBytesPerSecond
            lowSpeedTime = max(1, SaturatingTime.wholeSeconds(config.lowSpeedSeconds))
            maxRedirects = config.maxRedirects
            userAgent = config.userAgent
            allowPrivateNetworks = config.allowPrivateNetworks
            allowFileUrls = config.allowFileUrls
        }
    }

    private enum Command {
        case start(UInt64, TransferRequest, CheckedContinuation<TransferResult, Never>)
        case cancel(UInt64)
    }

    private struct Inbox {
        var commands: [Command] = []
        var sleeping = false
        /// Every global slot is busy: a new request cannot start before a running transfer ends,
        /// which wakes the loop anyway, so submitting it needs no wake-up call.
        var saturated = false
        var hasCancel = false
        var stopping = false
    }

    let options: Options
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let nextID = Atomic<UInt64>(1)
    private let stopped = Atomic<Bool>(false)
    private let finishedThread = DispatchSemaphore(value: 0)

    init(options: Options) {
        CurlGlobal.initialize()
        self.options = options
        multi = curl_multi_init()
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, min(100_000, max(16, SaturatingTime.multiplying(options.concurrency, 2))))
        let thread = Thread { [self] in self.loop() }
        thread.name = "decant-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Runs `request` and returns what libcurl reported; a cancelled task gets a `.cancelled` failure.
    func perform(_ request: TransferRequest) async -> TransferResult {
        if Task.isCancelled || stopped.load(ordering: .relaxed) { return .cancelled(request.url) }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if !submit(.start(id, request, continuation)) {
                    continuation.resume(returning: .cancelled(request.url))
                }
            }
        } onCancel: {
            _ = submit(.cancel(id))
        }
    }

    /// Stops the loop: queued and running transfers end as cancelled. Waits for the thread to exit
    /// (the first call only; later calls return at once).
    func shutdown() {
        if requestStop() { finishedThread.wait() }
    }

    /// Tells the loop to stop and returns at once; true for the first request. The thread holds
    /// this object until it exits, so the multi handle is cleaned up after the last transfer.
    @discardableResult
    func requestStop() -> Bool {
        guard !stopped.exchange(true, ordering: .relaxed) else { return false }
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
        return true
    }

    private func submit(_ command: Command) -> Bool {
        let (accepted, wake) = inbox.withLock { state -> (Bool, Bool) in
            if state.stopping { return (false, false) }
            state.commands.append(command)
            var isCancel = false
            if case .cancel = command { isCancel = true; state.hasCancel = true }
            let wake = state.sleeping && (isCancel || !state.saturated)
            if wake { state.sleeping = false }
            return (true, wake)
        }
        if wake { curl_multi_wakeup(multi) }
        return accepted
    }

    // MARK: The loop thread

    private func loop() {
        var state = LoopState(options: options)
        var lastSweep = monotonicNow()
        while true {
            let (commands, stopping) = inbox.withLock { s -> ([Command], Bool) in
                let taken = s.commands
                s.commands.removeAll(keepingCapacity: true)
                s.hasCancel = false
                return (taken, s.stopping)
            }
            if stopping { break }
            for command in commands {
                switch command {
                case .start(let id, let request, let continuation):
                    state.enqueue(id: id, request: request, continuation: continuation)
                case .cancel(let id):
                    state.cancel(id: id, multi: multi)
                }
            }
            // Start what may start, drive the transfers, hand back the finished ones; repeat while
            // transfers finish (freeing slots for queued requests), a bounded number of times.
            var now: UInt64 = 0
            var running: Int32 = 0
            var rounds = 0
            var finished = 0
            repeat {
                now = monotonicNow()
                state.startReady(now: now, multi: multi)
                curl_multi_perform(multi, &running)
                finished = state.collectDone(multi: multi)
                rounds += 1
            } while finished > 0 && rounds < 8
            if now &- lastSweep > 10_000_000_000 {
                state.scheduler.sweep(now: now)
                lastSweep = now
            }
            // Idle (nothing running or queued): sleep until a request's wake-up call, at most a minute;
            // libcurl shortens the wait by itself when it has a timer of its own.
            let idle = running == 0 && state.scheduler.active == 0 && state.scheduler.queued == 0
            var timeoutMs: Int32 = finished > 0 ? 0 : idle ? 60_000 : 1000
            if let wake = state.scheduler.nextWake(now: now) {
                timeoutMs = min(timeoutMs, Int32(clamping: max(1, (wake &- now) / 1_000_000 + 1)))
            }
            let saturated = state.scheduler.active >= state.scheduler.globalLimit
            let sleep = inbox.withLock { s -> Bool in
                if s.stopping || s.hasCancel { return false }
                if !s.commands.isEmpty && !saturated { return false }
                s.sleeping = true
                s.saturated = saturated
                return true
            }
            if sleep {
                curl_multi_poll(multi, nil, 0, timeoutMs, nil)
                inbox.withLock { $0.sleeping = false }
            }
        }
        let leftover = inbox.withLock { s -> [Command] in
            let taken = s.commands
            s.commands.removeAll()
            return taken
        }
        for case .start(_, let request, let continuation) in leftover {
            continuation.resume(returning: .cancelled(request.url))
        }
        state.cancelAll(multi: multi)
        finishedThread.signal()
    }
}

/// The loop thread's own state: the scheduler, running transfers, and idle easy handles for reuse.
private struct LoopState {
    let options: CurlMulti.Options
    var scheduler: HostScheduler<Transfer>
    var running: [UInt64: Transfer] = [:]
    var idle: [CurlEasy] = []

    init(options: CurlMulti.Options) {
        self.options = options
        scheduler = HostScheduler(globalLimit: options.concurrency, perHostLimit: options.perHostConcurrency)
    }

    mutating func enqueue(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, Never>) {
        let transfer = Transfer(id: id, request: request, continuation: continuation,
                                checkAddresses: !options.allowPrivateNetworks)
        let delay = SaturatingTime.nanoseconds(request.hostDelay)
        scheduler.enqueue(transfer, host: request.hostKey, delay: delay)
    }

    mutating func startReady(now: UInt64, multi: UnsafeMutableRawPointer) {
        while let (transfer, _) = scheduler.next(now: now) {
            guard let easy = idle.popLast() ?? makeEasy() else {
                scheduler.finished(host: transfer.request.hostKey)
                transfer.continuation.resume(returning: TransferResult(
                    code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "cannot create a curl handle",
                    failure: .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "cannot create a curl handle"),
                    finalURL: transfer.request.url))
                continue
            }
            transfer.attach(to: easy)
            running[transfer.id] = transfer
            let added = curl_multi_add_handle(multi, easy.handle)
            if added != CURLM_OK {
                let message = String(cString: curl_multi_strerror(added))
                var result = transfer.finish(code: CURLE_FAILED_INIT)
                result.failure = .curl(code: Int(CURLE_FAILED_INIT.rawValue), message: message)
                end(transfer)
                transfer.continuation.resume(returning: result)
            }
        }
    }

    /// Hands finished transfers back to their callers; returns how many finished.
    mutating func collectDone(multi: UnsafeMutableRawPointer) -> Int {
        var finished = 0
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard ccurl_msg_is_done(message) != 0, let handle = ccurl_msg_easy(message) else { continue }
            let code = ccurl_msg_result(message)
            var raw: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &raw)
            curl_multi_remove_handle(multi, handle)
            guard let raw else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(raw).takeUnretainedValue()
            let result = transfer.finish(code: code)
            end(transfer)
            transfer.continuation.resume(returning: result)
            finished += 1
        }
        return finished
    }

    mutating func cancel(id: UInt64, multi: UnsafeMutableRawPointer) {
        if let transfer = running[id] {
            if let easy = transfer.easy { curl_multi_remove_handle(multi, easy.handle) }
            end(transfer)
            transfer.continuation.resume(returning: .cancelled(transfer.request.url))
        } else if let transfer = scheduler.remove(where: { $0.id == id }) {
            transfer.continuation.resume(returning: .cancelled(transfer.request.url))
        }
    }

    mutating func cancelAll(multi: UnsafeMutableRawPointer) {
        for transfer in scheduler.removeAll() {
            transfer.continuation.resume(returning: .cancelled(transfer.request.url))
        }
        for transfer in running.values {
            if let easy = transfer.easy { curl_multi_remove_handle(multi, easy.handle) }
            end(transfer)
            transfer.continuation.resume(returning: .cancelled(transfer.request.url))
        }
        idle.removeAll()
    }

    /// Releases a transfer's slot and recycles its easy handle.
    private mutating func end(_ transfer: Transfer) {
        running[transfer.id] = nil
        scheduler.finished(host: transfer.request.hostKey)
        if let easy = transfer.easy {
            easy.set(CURLOPT_PRIVATE, pointer: nil)
            easy.set(CURLOPT_WRITEDATA, pointer: nil)
            easy.set(CURLOPT_HEADERDATA, pointer: nil)
            easy.set(CURLOPT_OPENSOCKETDATA, pointer: nil)
            easy.set(CURLOPT_DEBUGDATA, pointer: nil)
            easy.set(CURLOPT_HTTPHEADER, list: nil)
            if idle.count < options.concurrency { idle.append(easy) }
            transfer.easy = nil
        }
    }

    private func makeEasy() -> CurlEasy? {
        guard let easy = CurlEasy() else { return nil }
        CurlSetup.configure(easy, options)
        return easy
    }
}

/// The options every easy handle gets once, and the C callbacks that lead back to its `Transfer`.
enum CurlSetup {
    static func configure(_ easy: CurlEasy, _ o: CurlMulti.Options) {
        easy.set(CURLOPT_NOSIGNAL, true)
        easy.set(CURLOPT_FOLLOWLOCATION, o.maxRedirects > 0)
        easy.set(CURLOPT_MAXREDIRS, o.maxRedirects)
        easy.set(CURLOPT_AUTOREFERER, true)
        var protocols = ["http", "https"].filter(CurlGlobal.protocols.contains)
        if o.allowFileUrls { protocols.append("file") }
        easy.set(CURLOPT_PROTOCOLS_STR, protocols.joined(separator: ","))
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, ["http", "https"].filter(CurlGlobal.protocols.contains)
            .joined(separator: ","))
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, o.connectTimeoutMs)
        easy.set(CURLOPT_TIMEOUT_MS, o.timeoutMs)
        if o.lowSpeedLimit > 0 {
            easy.set(CURLOPT_LOW_SPEED_LIMIT, o.lowSpeedLimit)
            easy.set(CURLOPT_LOW_SPEED_TIME, o.lowSpeedTime)
        }
        easy.set(CURLOPT_USERAGENT, o.userAgent)
        easy.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl decodes
        easy.set(CURLOPT_PROXY, "")            // ignore *_proxy variables: the address policy needs direct connections
        easy.set(CURLOPT_TCP_KEEPALIVE, true)
        easy.set(CURLOPT_BUFFERSIZE, 64 * 1024)
        _ = ccurl_easy_setopt_data_callback(easy.handle, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let n = size * count
            let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        _ = ccurl_easy_setopt_data_callback(easy.handle, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let n = size * count
            let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.receiveHeader(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        // Called only while CURLOPT_VERBOSE is on, which a recorded transfer sets (Transfer.attach).
        _ = ccurl_easy_setopt_debug_callback(easy.handle) { _, type, data, size, user in
            guard type == CURLINFO_HEADER_OUT, let user, let data else { return 0 }
            Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
                .sentHeader(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        if !o.allowPrivateNetworks {
            _ = ccurl_easy_setopt_opensocket_callback(easy.handle) { user, _, address in
                guard let address else { return ccurl_socket_bad() }
                guard let user else { return ccurl_open_socket(address) }
                return Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue().openSocket(address)
            }
        }
    }
}

/// Monotonic time in nanoseconds.
func monotonicNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
