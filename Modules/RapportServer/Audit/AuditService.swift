import Foundation
import Logging
import RapportAccess
import RapportCrypto

/// The server's tamper-evident audit log: appends ``AuditEntry``s sealed by an in-memory
/// ``AuditChain`` to ``AuditStorage``, checkpoints the head every ``checkpointInterval`` entries
/// and at shutdown (HMAC-SHA-256 under the key in ``AuditKeyFile``), and answers queries,
/// verification and exports for the admin API.
///
/// Appends are serialised: entries reach storage in sequence order with no gaps, even when many
/// requests append at once. The chain head and the key are loaded on first use.
///
/// ```swift
/// try await services.audit.append(AuditEvent(actorId: admin.id, action: .statusChanged,
///                                              recordIds: [ana.id], reason: "notice"))
/// let report = try await services.audit.verify()   // report.firstBadSequence on tampering
/// ```
public actor AuditService {
    /// Where entries and checkpoints are stored.
    public nonisolated let storage: any AuditStorage
    /// Where the checkpoint key lives.
    public nonisolated let keyFile: AuditKeyFile
    /// Entries between checkpoints.
    public nonisolated let checkpointInterval: UInt64
    private let logger: Logger
    private let now: @Sendable () -> Date

    private var chain: AuditChain?
    private var key: SymmetricKey?
    private var lastCheckpointSequence: UInt64 = 0
    private var tail: Task<Void, Never>?

    /// Creates the service; nothing is read until the first call.
    ///
    /// - Parameters:
    ///   - storage: entries and checkpoints.
    ///   - keyFile: the checkpoint key (created on first use).
    ///   - checkpointInterval: entries between checkpoints (default 100).
    ///   - logger: where failures to audit are reported.
    ///   - now: the clock (injectable for tests).
    public init(
        storage: any AuditStorage, keyFile: AuditKeyFile, checkpointInterval: UInt64 = 100, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.keyFile = keyFile
        self.checkpointInterval = max(checkpointInterval, 1)
        self.logger = logger
        self.now = now
    }

    // MARK: - Appending

    /// Seals `event` as the next entry and stores it; checkpoints when one is due.
    ///
    /// - Returns: the stored entry.
    /// - Throws: ``ServerError/Code/storage`` if it could not be stored (nothing was appended).
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditEntry {
        let previous = tail
        let work = Task<AuditEntry, any Error> {
            await previous?.value
            return try await self.appendInOrder(event)
        }
        tail = Task { _ = try? await work.value }
        return try await work.value
    }

    /// Convenience for ``append(_:)``.
    @discardableResult
    public func record(
        _ action: AuditAction, actor: UUID?, device: UUID? = nil, records: [UUID] = [], fields: [String] = [],
        allowed: Bool = true, reason: String = ""
    ) async throws -> AuditEntry {
        try await append(
            AuditEvent(
                actorId: actor, deviceId: device, action: action, recordIds: records, fields: fields, allowed: allowed,
                reason: reason))
    }

    private func appendInOrder(_ event: AuditEvent) async throws -> AuditEntry {
        var current = try await loadedChain()
        let entry = current.append(event, now: now())
        do {
            try await storage.appendAuditEntry(entry)
        } catch {
            chain = nil  // reload the head from storage next time
            throw Self.storageError("appending to the audit log", error)
        }
        chain = current
        if current.isCheckpointDue {
            try await sealHead(current)
        }
        return entry
    }

    private func loadedChain() async throws -> AuditChain {
        if let chain { return chain }
        let last: AuditEntry?
        do {
            last = try await storage.lastAuditEntry()
            lastCheckpointSequence = try await storage.auditCheckpoints().last?.sequence ?? 0
        } catch {
            throw Self.storageError("reading the audit log's head", error)
        }
        let loaded =
            last.map { AuditChain(resumingAfter: $0, checkpointInterval: checkpointInterval) }
            ?? AuditChain(checkpointInterval: checkpointInterval)
        chain = loaded
        return loaded
    }

    private func loadedKey() throws(ServerError) -> SymmetricKey {
        if let key { return key }
        let loaded = try keyFile.loadOrCreate()
        key = loaded
        return loaded
    }

    private func sealHead(_ head: AuditChain) async throws {
        guard head.lastSequence > lastCheckpointSequence else { return }
        let checkpoint = head.checkpoint(key: try loadedKey(), now: now())
        do {
            try await storage.saveAuditCheckpoint(checkpoint)
        } catch {
            throw Self.storageError("storing an audit checkpoint", error)
        }
        lastCheckpointSequence = head.lastSequence
    }

    /// Seals the current head now (the server calls this at graceful shutdown), unless it is
    /// already sealed or nothing was appended since start.
    public func checkpointNow() async throws {
        await tail?.value
        guard let chain else { return }
        try await sealHead(chain)
    }

    // MARK: - Reading

    /// Entries matching `query`, newest first, with a cursor for the next page.
    public func query(_ query: AuditQuery) async throws -> AuditPage {
        let entries: [AuditEntry]
        do {
            entries = try await storage.auditEntries(matching: query)
        } catch {
            throw Self.storageError("querying the audit log", error)
        }
        let next = entries.count == query.limit ? entries.last.map { String($0.sequence) } : nil
        return AuditPage(entries: entries.map(AuditLine.init), nextCursor: next)
    }

    /// Entries after `sequence`, oldest first (at most `limit`): one page of an export.
    public func entries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        do {
            return try await storage.auditEntries(after: sequence, limit: min(max(limit, 1), 5_000))
        } catch {
            throw Self.storageError("reading the audit log", error)
        }
    }

    /// Checks the whole stored log against its hash chain, the stored checkpoints and the
    /// server's in-memory head, and names the first entry that can no longer be trusted.
    public func verify() async throws -> AuditReport {
        await tail?.value
        let key = try loadedKey()
        var entries: [AuditEntry] = []
        let checkpoints: [AuditCheckpoint]
        do {
            var after: UInt64 = 0
            while true {
                let page = try await storage.auditEntries(after: after, limit: 5_000)
                entries += page
                guard let last = page.last, page.count == 5_000 else { break }
                after = last.sequence
            }
            checkpoints = try await storage.auditCheckpoints()
        } catch {
            throw Self.storageError("reading the audit log for verification", error)
        }
        let result = AuditChain.verify(entries, checkpoints: checkpoints, key: key)
        let head = chain
        var report = AuditReport(
            intact: result.isIntact, entriesChecked: result.entriesChecked, checkpointsChecked: checkpoints.count,
            lastCheckpointVerified: result.lastCheckpointVerified, headSequence: head?.lastSequence,
            firstBadSequence: result.problem?.sequence, problem: result.problem.map { "\($0.kind)" },
            message: result.problem?.message ?? "the audit log is intact: \(entries.count) entries, \(checkpoints.count) checkpoints")
        // The in-memory head is the server's own memory of what it wrote: storage must end there.
        if result.isIntact, let head, head.lastSequence > 0 {
            let storedLast = entries.last?.sequence ?? 0
            var finding: (kind: String, sequence: UInt64)?
            if storedLast < head.lastSequence {
                finding = ("truncated", storedLast + 1)
            } else if storedLast > head.lastSequence {
                finding = ("inserted", head.lastSequence + 1)
            } else if entries.last?.hash != head.headHash {
                finding = ("checkpointMismatch", (result.lastCheckpointVerified ?? 0) + 1)
            }
            if let finding {
                report.intact = false
                report.firstBadSequence = finding.sequence
                report.problem = finding.kind
                report.message =
                    "the stored log disagrees with what this server wrote (its head is entry \(head.lastSequence)); trust nothing from entry \(finding.sequence) on, restore from a backup and investigate who can write the database"
            }
        }
        if !report.intact {
            logger.critical(
                "audit log verification failed",
                metadata: ["problem": "\(report.problem ?? "-")", "sequence": "\(report.firstBadSequence ?? 0)"])
        }
        return report
    }

    private static func storageError(_ what: String, _ error: any Error) -> ServerError {
        if let error = error as? ServerError { return error }
        return ServerError(
            .storage, "the audit log failed while \(what); check the data directory's disk and permissions",
            cause: error)
    }
}
