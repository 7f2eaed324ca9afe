import Foundation
import RapportModels
import RapportProtocol
import RapportStore

extension SyncEngine {
    /// Runs one complete sync: repair, push, pull, and a final push of edits made meanwhile.
    ///
    /// - Returns: what happened, including conflicts, rejections and purged records.
    /// - Throws: ``SyncError``: ``SyncError/Code/wipeRequired`` after the store was wiped;
    ///   ``SyncError/Code/transport`` when retries ran out (nothing is lost: sync again later);
    ///   ``SyncError/Code/unsupportedProtocolVersion`` when the app must be upgraded.
    @discardableResult
    public func sync() async throws -> SyncReport {
        if status.phase == .wiped {
            throw SyncError(.wipeRequired, "this device's store was wiped; sign in again to set it up")
        }
        var report = SyncReport()
        do {
            try await pushAll(&report)
            try await pullAll(&report)
            if !(try await store.outbox().isEmpty) { try await pushAll(&report) }
            let now = wallClock.nowMillis()
            try await store.recordSyncSuccess(millis: now)
            let pending = try await store.outbox().count
            update {
                $0.phase = .idle
                $0.lastSuccessMillis = now
                $0.pendingCount = pending
                $0.lastError = nil
            }
            return report
        } catch let error as SyncError where error.code == .wipeRequired {
            try await wipe()
            throw error
        } catch {
            let pending = (try? await store.outbox().count) ?? status.pendingCount
            update {
                $0.phase = .idle
                $0.pendingCount = pending
                $0.lastError = "\(error)"
            }
            throw error
        }
    }

    /// Crypto-shreds the store (cursor included); the engine is finished.
    func wipe() async throws {
        try await store.wipe()
        update {
            $0.phase = .wiped
            $0.pendingCount = 0
        }
    }

    // MARK: - Retry

    func withRetry<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let failure: SyncError
            do {
                return try await body()
            } catch let error as SyncError {
                failure = error
            } catch is CancellationError {
                throw SyncError(.transport, "the sync was cancelled; sync again later")
            } catch {
                failure = SyncError(.transport, "the server could not be reached; sync again later", cause: error)
            }
            // A server that asks to wait longer than the longest backoff (a read quota that
            // resets at midnight) is not waited for inside one sync: the error reaches the app.
            let asked = Int64(failure.retryAfterSeconds ?? 0) * 1000
            guard failure.code.isRetryable, attempt < configuration.maxAttempts, asked <= configuration.maxBackoffMillis,
                !Task.isCancelled
            else { throw failure }
            let delay = max(configuration.backoff(attempt: attempt), Int64(failure.retryAfterSeconds ?? 0) * 1000)
            update { $0.phase = .backingOff(attempt: attempt, delayMillis: delay) }
            await sleeper.sleep(milliseconds: delay)
        }
    }

    func observe(_ serverHlc: HLCTimestamp) {
        clock.observe(serverHlc, wallMillis: wallClock.nowMillis())
    }
}
