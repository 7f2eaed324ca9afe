import Foundation
import Logging
import RapportAccess
import RapportCrypto

/// The server's tamper-evident audit log: appends ``AuditEntry``s sealed by ``AuditChain`` to
/// ``AuditStorage``, checkpoints the head every ``checkpointInterval`` entries and at shutdown
/// (HMAC-SHA-256 under the key in ``AuditKeyFile``), anchors every checkpoint outside the
/// database (``AuditAnchorStore`` and the log stream), and answers queries, verification and
/// exports for the admin API.
///
/// The chain head lives only in the database: each append reads the newest stored entry and
/// stores the next one in the same write unit (joining the caller's, so an admin change and its
/// entry commit together). Write units are serialisable, so appends from any number of requests
/// or server instances form one linear chain with no gaps and no fork. The key is loaded on
/// first use.
///
/// ```swift
/// try await services.audit.append(AuditEvent(actorId: admin.id, action: .statusChanged,
///                                              recordIds: [ana.id], reason: "notice"))
/// let report = try await services.audit.verify()   // report.firstBadSequence on tampering
/// ```
public actor AuditService {
    /// Where entries and checkpoints are stored.
    public nonisolated let storage: any ServerStorage
    /// Where the checkpoint key lives.
    public nonisolated let keyFile: AuditKeyFile
    /// Where each checkpoint is anchored outside the database (`nil`: nowhere, tests only).
    public nonisolated let anchors: (any AuditAnchorStore)?
    /// Entries between checkpoints.
    public nonisolated let checkpointInterval: UInt64
    private let logger: Logger
    private let now: @Sendable () -> Date

    private var key: SymmetricKey?
    /// The newest entry this process appended (what ``verify()`` expects storage to still hold).
    private var lastWritten: (sequence: UInt64, hash: [UInt8])?

    /// Creates the service; nothing is read until the first call.
    ///
    /// - Parameters:
    ///   - storage: entries and checkpoints.
    ///   - keyFile: the checkpoint key (created on first use).
    ///   - anchors: where each checkpoint is also written, outside the database
    ///     (``AuditAnchorFile`` in production; `nil` leaves the log unanchored).
    ///   - checkpointInterval: entries between checkpoints (default 100).
    ///   - logger: where failures to audit are reported, and where every anchor is written as
    ///     a notice (`audit anchor`) for shipping off the machine.
    ///   - now: the clock (injectable for tests).
    public init(
        storage: any ServerStorage, keyFile: AuditKeyFile, anchors: (any AuditAnchorStore)? = nil,
        checkpointInterval: UInt64 = 100, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.keyFile = keyFile
        self.anchors = anchors
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
        let interval = checkpointInterval
        let time = now()
        let joined = storage.hasOpenUnit
        let entry: AuditEntry
        do {
            entry = try await storage.write { tx in
                let last = try await tx.lastAuditEntry()
                var chain =
                    last.map { AuditChain(resumingAfter: $0, checkpointInterval: interval) }
                    ?? AuditChain(checkpointInterval: interval)
                let entry = chain.append(event, now: time)
                try await tx.appendAuditEntry(entry)
                return entry
            }
        } catch {
            throw Self.storageError("appending to the audit log", error)
        }
        lastWritten = (entry.sequence, entry.hash)
        // A checkpoint is anchored outside the database, so it is only sealed over a committed
        // head: now, when this append committed on its own; otherwise at the next append that
        // does, or at shutdown (``checkpointNow()``).
        if !joined { try await sealHeadIfDue(force: false) }
        return entry
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

    private func loadedKey() throws(ServerError) -> SymmetricKey {
        if let key { return key }
        let loaded = try keyFile.loadOrCreate()
        key = loaded
        return loaded
    }

    /// Seals the stored head in a write unit of its own when ``checkpointInterval`` entries or
    /// more followed the last checkpoint (or, with `force`, when any did).
    private func sealHeadIfDue(force: Bool) async throws {
        let interval = checkpointInterval
        let key = try loadedKey()
        let time = now()
        let sealed: AuditCheckpoint?
        do {
            sealed = try await storage.write { tx in
                guard let head = try await tx.lastAuditEntry() else { return nil }
                let sealedUpTo = try await tx.auditCheckpoints().last?.sequence ?? 0
                guard head.sequence > sealedUpTo,
                    force || head.sequence - sealedUpTo >= interval || head.sequence % interval == 0
                else { return nil }
                let checkpoint = AuditChain(resumingAfter: head, checkpointInterval: interval).checkpoint(key: key, now: time)
                // The anchor first: a crash before the database has it leaves a checkpoint to
                // restore at start-up, never an unanchored one.
                try await self.anchor(checkpoint)
                try await tx.saveAuditCheckpoint(checkpoint)
                return checkpoint
            }
        } catch {
            throw Self.storageError("storing an audit checkpoint", error)
        }
        _ = sealed
    }

    /// Writes `checkpoint` to the anchor store (first: a crash before the database has it
    /// leaves a `checkpointMissing` finding, never an unanchored checkpoint) and to the log.
    private func anchor(_ checkpoint: AuditCheckpoint) throws(ServerError) {
        guard let anchors else { return }
        try anchors.append(checkpoint)
        logger.notice(
            "audit anchor",
            metadata: ["anchor": "\(AuditAnchorFile.line(checkpoint))", "file": "\(anchors.location)"])
    }

    /// Seals the current head now (the server calls this at graceful shutdown), unless it is
    /// already sealed or nothing was appended since start.
    public func checkpointNow() async throws {
        guard lastWritten != nil else { return }
        try await sealHeadIfDue(force: true)
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
    /// newest entry this process wrote, and names the first entry that can no longer be trusted.
    public func verify() async throws -> AuditReport {
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
        let anchorRead = try readAnchors()
        let anchorProblems = Self.anchorProblems(
            anchorRead, location: anchors?.location,
            AuditChain.checkAnchors(
                anchorRead.anchors, checkpoints: checkpoints,
                storedHashes: Dictionary(
                    entries.map { ($0.sequence, $0.hash) }, uniquingKeysWith: { first, _ in first }),
                lastStoredSequence: entries.last?.sequence ?? 0, key: key))
        let problems = (result.problem.map { [$0] } ?? []) + anchorProblems
        let head = lastWritten
        let first = problems.first
        var report = AuditReport(
            intact: problems.isEmpty, entriesChecked: result.entriesChecked, checkpointsChecked: checkpoints.count,
            lastCheckpointVerified: result.lastCheckpointVerified, headSequence: head?.sequence,
            firstBadSequence: first?.sequence, problem: first.map { "\($0.kind)" },
            message: first?.message
                ?? "the audit log is intact: \(entries.count) entries, \(checkpoints.count) checkpoints, \(anchorRead.anchors.count) anchors agree"
        )
        report.anchorsChecked = anchorRead.anchors.count
        report.findings = problems.map(\.description)
        report.missing = problems.compactMap(\.missing)
        // This process remembers the newest entry it wrote: storage must still hold it,
        // unchanged. (Other instances append after it, so a longer log is no finding.)
        if problems.isEmpty, let head, head.sequence > 0 {
            let storedLast = entries.last?.sequence ?? 0
            var finding: (kind: String, sequence: UInt64)?
            if storedLast < head.sequence {
                finding = ("truncated", storedLast + 1)
            } else if let stored = entries.first(where: { $0.sequence == head.sequence }), stored.hash != head.hash {
                finding = ("checkpointMismatch", (result.lastCheckpointVerified ?? 0) + 1)
            }
            if let finding {
                report.intact = false
                report.firstBadSequence = finding.sequence
                report.problem = finding.kind
                report.message =
                    "the stored log disagrees with what this server wrote (its newest entry is \(head.sequence)); trust nothing from entry \(finding.sequence) on, restore from a backup and investigate who can write the database"
                report.findings.append("\(finding.kind) at \(finding.sequence): \(report.message)")
                if storedLast < head.sequence {
                    report.missing.append(AuditRange(first: storedLast + 1, last: head.sequence))
                }
            }
        }
        if !report.intact {
            logger.critical(
                "audit log verification failed",
                metadata: ["problem": "\(report.problem ?? "-")", "sequence": "\(report.firstBadSequence ?? 0)"])
        }
        return report
    }

    // MARK: - Anchors

    /// Checks the anchors against the database without reading the whole log (what the server
    /// does at start-up): the newest anchored head must be stored, every anchored entry unchanged
    /// with its checkpoint beside it, and every later checkpoint anchored.
    ///
    /// - Parameter allowMismatch: start anyway (the operator's explicit override): problems are
    ///   logged as critical and returned; when there is no anchor at all (a log written before
    ///   anchors, or a deleted file) the current head is anchored so later starts check from it.
    /// - Returns: the problems found (empty when the anchors agree).
    /// - Throws: ``ServerError/Code/storage`` naming what is missing and how to investigate, when
    ///   there are problems and `allowMismatch` is false.
    @discardableResult
    public func checkAnchorsAtStart(allowMismatch: Bool) async throws -> [AuditProblem] {
        guard anchors != nil else { return [] }
        let key = try loadedKey()
        let read = try readAnchors()
        let last: AuditEntry?
        var checkpoints: [AuditCheckpoint]
        let hashes: [UInt64: [UInt8]]
        do {
            last = try await storage.lastAuditEntry()
            checkpoints = try await storage.auditCheckpoints()
            hashes = try await storage.auditEntryHashes(sequences: read.anchors.map(\.sequence))
        } catch {
            throw Self.storageError("reading the audit log's head", error)
        }
        let restored = try await restoreCheckpoints(from: read.anchors, stored: checkpoints, hashes: hashes, key: key)
        checkpoints += restored
        let problems = Self.anchorProblems(
            read, location: anchors?.location,
            AuditChain.checkAnchors(
                read.anchors, checkpoints: checkpoints, storedHashes: hashes,
                lastStoredSequence: last?.sequence ?? 0, key: key))
        guard !problems.isEmpty else { return [] }
        let summary = problems.map { "  - \($0)" }.joined(separator: "\n")
        guard allowMismatch else {
            throw ServerError(
                .storage,
                """
                the audit log does not match its anchors in '\(anchors?.location ?? "-")'; refusing to start:
                \(summary)
                Investigate before serving: compare the anchor file with the 'audit anchor' lines of the server's log \
                stream, restore the database from a backup if entries were removed, and find who could write the data \
                directory. To start anyway and keep reporting the problem (`rapport-admin audit verify`), set \
                allowAuditAnchorMismatch (--allow-audit-anchor-mismatch, RAPPORT_ALLOW_AUDIT_ANCHOR_MISMATCH=true).
                """)
        }
        for problem in problems {
            logger.critical(
                "audit log does not match its anchors; started anyway (allowAuditAnchorMismatch)",
                metadata: ["problem": "\(problem)"])
        }
        if read.anchors.isEmpty, let last {
            let head = AuditChain(resumingAfter: last, checkpointInterval: checkpointInterval)
            let checkpoint = head.checkpoint(key: key, now: now())
            try anchor(checkpoint)
            do {
                try await storage.saveAuditCheckpoint(checkpoint)
            } catch {
                throw Self.storageError("storing an audit checkpoint", error)
            }
        }
        return problems
    }

    /// Stores again the checkpoints that an authentic anchor holds but the database lacks, when
    /// the entry they seal is stored unchanged — the window between anchoring a checkpoint and
    /// storing it (a crash, a full disk), or a deleted checkpoint, which hides nothing while the
    /// entry and its anchor agree. Each restoration is logged and recorded in the audit log.
    private func restoreCheckpoints(
        from anchors: [AuditCheckpoint], stored: [AuditCheckpoint], hashes: [UInt64: [UInt8]], key: SymmetricKey
    ) async throws -> [AuditCheckpoint] {
        let have = Set(stored.map(\.sequence))
        let missing = anchors.filter { anchor in
            !have.contains(anchor.sequence) && anchor.isAuthentic(key: key)
                && hashes[anchor.sequence].map { ConstantTime.equals($0, anchor.entryHash) } == true
        }
        guard !missing.isEmpty else { return [] }
        do {
            for checkpoint in missing { try await storage.saveAuditCheckpoint(checkpoint) }
        } catch {
            throw Self.storageError("restoring audit checkpoints from their anchors", error)
        }
        let sequences = missing.map { String($0.sequence) }.joined(separator: ", ")
        logger.warning(
            "restored audit checkpoints from their anchors (the server stopped between anchoring and storing them, or they were deleted)",
            metadata: ["sequences": "\(sequences)"])
        _ = try await record(
            "auditCheckpointsRestored", actor: nil,
            reason: "checkpoints for entries \(sequences) restored from the anchor file at start-up")
        return missing
    }

    private func readAnchors() throws(ServerError) -> AuditAnchorRead {
        try anchors?.read() ?? AuditAnchorRead(exists: false, anchors: [])
    }

    /// The anchor check's problems plus those of reading the store; none without a store.
    private static func anchorProblems(_ read: AuditAnchorRead, location: String?, _ checked: [AuditProblem])
        -> [AuditProblem]
    {
        guard let location else { return [] }
        let unreadable = read.unreadableLines.map { line in
            AuditProblem(
                kind: .forgedCheckpoint, sequence: 0,
                message:
                    "line \(line) of the audit anchor file '\(location)' is not an anchor: it was edited, or torn by a crash while written"
            )
        }
        return unreadable + checked
    }

    private static func storageError(_ what: String, _ error: any Error) -> ServerError {
        if let error = error as? ServerError { return error }
        return ServerError(
            .storage, "the audit log failed while \(what); check the data directory's disk and permissions",
            cause: error)
    }
}
