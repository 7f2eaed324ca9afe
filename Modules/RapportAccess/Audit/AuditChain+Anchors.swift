import Foundation
import RapportCrypto

extension AuditChain {
    /// Checks the chain's anchors — signed heads kept outside the database the log lives in —
    /// against what the database holds, and returns every problem found (empty when they agree).
    ///
    /// An anchor is a checkpoint (the same HMAC under the audit key) written somewhere the
    /// database's writers do not control alone: an append-only file and the log stream. Whoever
    /// cuts the newest entries *and* the newest checkpoints from the database still leaves the
    /// anchor naming the entry that was the head, so a cut-off end is reported with the entries
    /// missing (`truncated`, with ``AuditProblem/missing``), a deleted checkpoint is reported
    /// (`checkpointMissing`), and a cut anchor file is reported (`anchorMissing`) as long as the
    /// database still holds the checkpoint the file lost.
    ///
    /// - Parameters:
    ///   - anchors: the anchors in the order they were written.
    ///   - checkpoints: the checkpoints stored in the database.
    ///   - storedHashes: the stored hash of each entry an anchor names (absent when the entry is).
    ///   - lastStoredSequence: the newest entry in the database (0 when empty).
    ///   - key: the audit key.
    public static func checkAnchors(
        _ anchors: [AuditCheckpoint], checkpoints: [AuditCheckpoint], storedHashes: [UInt64: [UInt8]],
        lastStoredSequence: UInt64, key: SymmetricKey
    ) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var authentic: [AuditCheckpoint] = []
        for anchor in anchors {
            if anchor.isAuthentic(key: key) {
                authentic.append(anchor)
            } else {
                problems.append(
                    AuditProblem(
                        kind: .forgedCheckpoint, sequence: anchor.sequence,
                        message:
                            "the anchor for entry \(anchor.sequence) does not verify under the audit key; the anchor file was edited — compare it with the 'audit anchor' lines of the server's log"
                    ))
            }
        }
        // 1. The newest head ever anchored must still be in the database.
        if let newest = authentic.max(by: { $0.sequence < $1.sequence }), newest.sequence > lastStoredSequence {
            let missing = AuditRange(first: lastStoredSequence + 1, last: newest.sequence)
            let when = ISO8601DateFormatter().string(
                from: Date(timeIntervalSince1970: Double(newest.timestampMilliseconds) / 1_000))
            problems.append(
                AuditProblem(
                    kind: .truncated, sequence: lastStoredSequence + 1,
                    message:
                        "the log was cut: an anchor shows it reached entry \(newest.sequence) at \(when), but the database ends at entry \(lastStoredSequence); entries \(missing) (and any written after that anchor) were removed — restore the database from a backup taken after \(when) and investigate who could write the data directory",
                    missing: missing))
        }
        // 2. Every anchored entry must be stored unchanged, with its checkpoint beside it.
        let stored = Dictionary(checkpoints.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        for anchor in authentic where anchor.sequence <= lastStoredSequence {
            guard let hash = storedHashes[anchor.sequence] else {
                problems.append(
                    AuditProblem(
                        kind: .removed, sequence: anchor.sequence,
                        message: "entry \(anchor.sequence), which an anchor seals, is missing from the database",
                        missing: AuditRange(first: anchor.sequence, last: anchor.sequence)))
                continue
            }
            guard ConstantTime.equals(hash, anchor.entryHash) else {
                problems.append(
                    AuditProblem(
                        kind: .checkpointMismatch, sequence: anchor.sequence,
                        message:
                            "entry \(anchor.sequence) differs from its anchor: the log up to that entry was rewritten — trust no entry up to \(anchor.sequence) past the previous good anchor"
                    ))
                continue
            }
            if stored[anchor.sequence].map({ ConstantTime.equals($0.entryHash, anchor.entryHash) }) != true {
                problems.append(
                    AuditProblem(
                        kind: .checkpointMissing, sequence: anchor.sequence,
                        message:
                            "the checkpoint for entry \(anchor.sequence) is missing from the database (its anchor is in the anchor file): someone deleted it, likely to hide a cut; run verify again after restoring from a backup"
                    ))
            }
        }
        // 3. Every checkpoint since anchoring began must be anchored.
        let anchored = Set(authentic.map(\.sequence))
        if let firstAnchor = authentic.map(\.sequence).min() {
            for checkpoint in checkpoints
            where checkpoint.sequence >= firstAnchor && !anchored.contains(checkpoint.sequence)
                && checkpoint.isAuthentic(key: key)
            {
                problems.append(
                    AuditProblem(
                        kind: .anchorMissing, sequence: checkpoint.sequence,
                        message:
                            "the anchor file lacks the checkpoint for entry \(checkpoint.sequence): the file was cut or replaced — compare it with the 'audit anchor' lines of the server's log"
                    ))
            }
        } else if let sealed = checkpoints.filter({ $0.isAuthentic(key: key) }).map(\.sequence).max() {
            // Every checkpoint is anchored as it is made, so checkpoints without any anchor mean
            // the anchors were deleted (or the log predates them). Before the first checkpoint
            // there is nothing to anchor.
            problems.append(
                AuditProblem(
                    kind: .anchorMissing, sequence: 1,
                    message:
                        "the database holds checkpoints up to entry \(sealed) but there is no anchor: the anchor file was deleted or emptied, or this log predates anchors"
                ))
        }
        return problems
    }
}
