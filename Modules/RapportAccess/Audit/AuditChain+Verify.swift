import RapportCrypto

extension AuditChain {
    /// Verifies stored `entries` (in stored order) against the hash chain and the authentic
    /// `checkpoints`, and reports the first problem with its sequence number.
    ///
    /// Detects: an edited entry (content no longer matches its hash); a removed entry (a gap,
    /// or later entries renumbered); an inserted entry (a repeated number, or later entries
    /// renumbered); reordered entries; a broken link (an entry edited and re-hashed); a
    /// forged checkpoint; a rewrite of the whole chain after some point (it disagrees with the
    /// next checkpoint); and a cut-off end (a checkpoint seals an entry that is gone). Entries
    /// after the newest checkpoint are protected by the chain alone, so checkpoint often.
    ///
    /// `entries` may start after 1 when a checkpoint seals the entry just before the first one.
    public static func verify(_ entries: [AuditEntry], checkpoints: [AuditCheckpoint], key: SymmetricKey)
        -> AuditVerification
    {
        func fail(_ kind: AuditProblem.Kind, _ sequence: UInt64, _ message: String, checked: Int = 0)
            -> AuditVerification
        {
            AuditVerification(
                problem: AuditProblem(kind: kind, sequence: sequence, message: message), entriesChecked: checked,
                lastCheckpointVerified: nil)
        }

        // 1. Checkpoints must be genuine.
        for checkpoint in checkpoints where !checkpoint.isAuthentic(key: key) {
            return fail(
                .forgedCheckpoint, checkpoint.sequence,
                "the checkpoint for entry \(checkpoint.sequence) does not verify under the audit key; it was forged or altered — restore checkpoints from their separate copy"
            )
        }
        let sealed = Dictionary(checkpoints.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })

        // 2. Where the chain starts.
        let firstSequence = entries.first?.sequence ?? 1
        var running = AuditChain.genesisHash
        if firstSequence != 1 {
            guard let anchor = sealed[firstSequence - 1] else {
                return fail(
                    .removed, 1,
                    "the log starts at \(firstSequence) and no checkpoint seals entry \(firstSequence - 1); earlier entries are missing"
                )
            }
            running = anchor.entryHash
        }

        // 3. Sequence numbers: gaps, repeats, order.
        var expected = firstSequence
        var seen = Set<UInt64>()
        for (position, entry) in entries.enumerated() {
            defer { seen.insert(entry.sequence) }
            if entry.sequence == expected {
                expected += 1
                continue
            }
            let later = entries[(position + 1)...]
            if entry.sequence > expected {
                return later.contains(where: { $0.sequence == expected })
                    ? fail(
                        .reordered, expected,
                        "entry \(expected) appears after entry \(entry.sequence); entries were moved")
                    : fail(.removed, expected, "entry \(expected) is missing; the log jumps to \(entry.sequence)")
            }
            return seen.contains(entry.sequence)
                ? fail(.inserted, entry.sequence, "a second entry claims sequence \(entry.sequence); one was inserted")
                : fail(
                    .reordered, entry.sequence,
                    "entry \(entry.sequence) appears after entry \(expected - 1); entries were moved")
        }

        // 4. Hashes and links.
        let laterHashes = Dictionary(entries.map { ($0.hash, $0.sequence) }, uniquingKeysWith: { first, _ in first })
        var lastVerified: UInt64?
        for (position, entry) in entries.enumerated() {
            let computed = entry.computedHash()
            if !ConstantTime.equals(computed, entry.hash) {
                if ConstantTime.equals(entry.computedHash(sequence: entry.sequence + 1), entry.hash) {
                    return fail(
                        .removed, entry.sequence,
                        "entry \(entry.sequence) was sealed as \(entry.sequence + 1): an entry before it was removed and the rest renumbered",
                        checked: position)
                }
                if entry.sequence > 0, ConstantTime.equals(entry.computedHash(sequence: entry.sequence - 1), entry.hash)
                {
                    return fail(
                        .inserted, entry.sequence - 1,
                        "entry \(entry.sequence) was sealed as \(entry.sequence - 1): an entry was inserted before it and the rest renumbered",
                        checked: position)
                }
                return fail(
                    .edited, entry.sequence, "entry \(entry.sequence) was changed after it was written",
                    checked: position)
            }
            if !ConstantTime.equals(entry.previousHash, running) {
                if let target = laterHashes[entry.previousHash], target > entry.sequence {
                    return fail(
                        .reordered, entry.sequence,
                        "entry \(entry.sequence) links to entry \(target), which comes later; entries were moved",
                        checked: position)
                }
                return fail(
                    .linkBroken, entry.sequence,
                    "entry \(entry.sequence) does not link to entry \(entry.sequence - 1): that entry was edited and re-hashed, or entries were removed or inserted between them",
                    checked: position)
            }
            running = entry.hash
            if let checkpoint = sealed[entry.sequence] {
                guard ConstantTime.equals(checkpoint.entryHash, entry.hash) else {
                    let from = (lastVerified ?? (firstSequence - 1)) + 1
                    return fail(
                        .checkpointMismatch, from,
                        "the chain disagrees with the checkpoint for entry \(entry.sequence): entries \(from)–\(entry.sequence) were rewritten",
                        checked: position)
                }
                lastVerified = entry.sequence
            }
        }

        // 5. Checkpoints beyond the end mean the end was cut off.
        let last = entries.last?.sequence ?? (firstSequence - 1)
        if let beyond = checkpoints.map(\.sequence).filter({ $0 > last }).min() {
            return AuditVerification(
                problem: AuditProblem(
                    kind: .truncated, sequence: last + 1,
                    message:
                        "a checkpoint seals entry \(beyond) but the log ends at \(last); entries from \(last + 1) were removed"
                ),
                entriesChecked: entries.count, lastCheckpointVerified: lastVerified)
        }
        return AuditVerification(problem: nil, entriesChecked: entries.count, lastCheckpointVerified: lastVerified)
    }
}
