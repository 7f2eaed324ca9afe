import Logging
import ServiceLifecycle

/// Seals the audit chain's head when the server shuts down gracefully, so entries written since
/// the last periodic checkpoint are covered too. Runs inside the HTTP application's service
/// group and stops after the server has stopped accepting requests.
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
    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try await audit.checkpointNow()
        } catch {
            logger.error("could not checkpoint the audit log at shutdown", metadata: ["error": "\(error)"])
        }
    }
}
