import Foundation

/// The process's one decrypt-ahead thread (a Foundation `Thread`, started at first use): it
/// serves ``PageReadAhead`` buffers in the order they ask, each until it has no page pending.
/// One thread is enough on the phones and two-core machines the store runs on: SQLite's own
/// work per scanned page is several times one page decryption.
///
/// The thread runs at the lowest priority (nice 19 on Linux, `.utility` QoS elsewhere): it
/// should only use a core nobody else wants. When it lags, SQLite's thread simply decrypts the
/// pages itself; it never waits for this thread.
final class DecryptAheadThread: @unchecked Sendable {
    static let shared = DecryptAheadThread()

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var queue: [PageReadAhead] = []
    private var started = false

    private init() {}

    /// Queues `readAhead` (which is not in the queue yet) and wakes the thread.
    func enqueue(_ readAhead: PageReadAhead) {
        condition.lock()
        queue.append(readAhead)
        if !started {
            started = true
            let thread = Thread { [self] in
                #if os(Linux)
                    // Linux nice values are per thread; `who` 0 is the calling thread.
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                #endif
                run()
            }
            thread.name = "rapport-decrypt-ahead"
            #if canImport(Darwin)
                thread.qualityOfService = .utility
            #endif
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let next = queue.removeFirst()
            condition.unlock()
            while next.fillNext() {}
        }
    }
}
