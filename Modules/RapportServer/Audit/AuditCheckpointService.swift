import Logging
import ServiceLifecycle

/// Seals the audit chain's head when the server shuts down gracefully, so entries written since
/// the last periodic checkpoint are covered too. Runs inside the HTTP application's service
/// group and stops after the server has stopped accepting requests; a failed checkpoint fails the
/// shutdown (exit status 1).
public struct AuditCheckpointService: Service {
    /// The audit log.
    public let audit: AuditService
    /// Where a failed checkpoint is reported.
    public let logger: Logger

    /// Creates the service.
    public init(audit: AuditService, logger: Logger) {
        self.audit = audit
        self.logger = logger
    }

    /// Waits for graceful shutdown (or cancellation), then checkpoints.
    ///
    /// - Throws: ``ServerError`` when the checkpoint fails (a full disk, an unwritable anchor
    ///   file), so the server's service group fails and `rapport-server` exits 1 with the message
    ///   instead of reporting a clean stop.
    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try await audit.checkpointNow()
        } catch {
            let failure = ServerError.from(error)
            logger.error("could not checkpoint the audit log at shutdown", metadata: ["error": "\(failure.message)"])
            throw ServerError(
                failure.code == .storageFull || failure.code == .storageIOError ? failure.code : .storage,
                "the final audit checkpoint at shutdown failed: \(failure.message). Audit entries written since the last checkpoint are stored but not yet sealed; fix the cause, start the server again (the next checkpoint seals them) and run `rapport-admin audit verify`",
                cause: error)
        }
    }
}
