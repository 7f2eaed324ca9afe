import NIOCore

/// Runs work that shares a key one at a time (sign-in attempts that share a counter; the
/// administrators' changes to the organisation, which read, judge and write it).
///
/// Sign-in attempts that share a counter run one at a time, so counting is exact: without it, a
/// thousand simultaneous guesses from one address would all read "no failures yet" before the
/// first (slow) password check had recorded one, and sail past every threshold.
///
/// Keys name counters: a client address, a login name with its source bucket. Attempts wait their
/// turn (they are not refused), in arrival order; attempts with different keys run in parallel.
/// Keys are always taken in the order given (address before name), so two attempts cannot wait
/// on each other.
///
/// ```swift
/// let gate = LoginGate()
/// let result = try await gate.withTurn(["address:203.0.113.7", "name:ana|*"]) { try await check() }
/// ```
actor LoginGate {
    /// For each key in use, the attempts waiting for it (empty: in use, nobody waiting).
    private var queues: [String: CircularBuffer<CheckedContinuation<Void, Never>>] = [:]

    /// Runs `body` once every key is free, holding them until it returns or throws.
    nonisolated func withTurn<T>(
        _ keys: [String], _ body: () async throws -> T
    ) async throws -> T {
        for key in keys { await acquire(key) }
        do {
            let result = try await body()
            await release(keys)
            return result
        } catch {
            await release(keys)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard queues[key] != nil else {
            queues[key] = CircularBuffer()
            return
        }
        await withCheckedContinuation { continuation in
            queues[key]?.append(continuation)
        }
    }

    private func release(_ keys: [String]) {
        for key in keys.reversed() {
            guard let idle = queues[key]?.isEmpty else { continue }
            if idle {
                queues[key] = nil
            } else if let next = queues[key]?.removeFirst() {  // in place, no copy of the queue
                next.resume()
            }
        }
    }
}
