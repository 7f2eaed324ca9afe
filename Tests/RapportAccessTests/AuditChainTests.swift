import Foundation
import RapportAccess
import RapportCrypto
import RapportTesting
import Testing

@Suite("Tamper-evident audit chain")
struct AuditChainTests {
    let key = try! SymmetricKey(bytes: Array(repeating: 3, count: 32))
    let now = AccessFixtures.now

    /// Twelve entries with a checkpoint every four.
    func log() -> (entries: [AuditEntry], checkpoints: [AuditCheckpoint], chain: AuditChain) {
        var chain = AuditChain(checkpointInterval: 4)
        var entries: [AuditEntry] = []
        var checkpoints: [AuditCheckpoint] = []
        let actions: [AuditAction] = [.login, .sensitiveRead, .reveal, .export, .grantIssued, .roleChanged]
        for index in 0..<12 {
            let at = now.addingTimeInterval(Double(index) * 60)
            entries.append(
                chain.append(
                    AuditEvent(
                        actorId: UUID(), deviceId: index % 2 == 0 ? UUID() : nil,
                        action: actions[index % actions.count],
                        recordIds: [UUID()], fields: ["individual.phones"], allowed: index != 5, reason: "r\(index)"),
                    now: at))
            if chain.isCheckpointDue { checkpoints.append(chain.checkpoint(key: key, now: at)) }
        }
        return (entries, checkpoints, chain)
    }

    func verify(_ entries: [AuditEntry], _ checkpoints: [AuditCheckpoint]) -> AuditProblem? {
        AuditChain.verify(entries, checkpoints: checkpoints, key: key).problem
    }

    /// Re-seals `entries` from `start` on as an attacker without the key would.
    func rehash(_ entries: [AuditEntry], from start: Int) -> [AuditEntry] {
        var result = entries
        for index in start..<result.count {
            result[index].previousHash = index == 0 ? AuditChain.genesisHash : result[index - 1].hash
            result[index].hash = result[index].computedHash()
        }
        return result
    }

    @Test("an untouched log verifies, and verification can start at a checkpoint")
    func intact() {
        let (entries, checkpoints, chain) = log()
        let report = AuditChain.verify(entries, checkpoints: checkpoints, key: key)
        #expect(report.isIntact && report.entriesChecked == 12 && report.lastCheckpointVerified == 12)
        #expect(chain.lastSequence == 12 && chain.headHash == entries[11].hash)
        #expect(AuditChain.verify(Array(entries[4...]), checkpoints: checkpoints, key: key).isIntact)
        #expect(verify(Array(entries[5...]), checkpoints)?.kind == .removed)
        var resumed = AuditChain(resumingAfter: entries[11])
        let next = resumed.append(AuditEvent(actorId: nil, action: .alertRaised), now: now)
        #expect(verify(entries + [next], checkpoints) == nil)
    }

    @Test("an edited entry is found at its sequence number, re-hashed or not")
    func edited() {
        let (entries, checkpoints, _) = log()
        var tampered = entries
        tampered[6].event.reason = "nothing to see"
        #expect(
            verify(tampered, checkpoints)
                == AuditProblem(kind: .edited, sequence: 7, message: verify(tampered, checkpoints)!.message))
        tampered[6].hash = tampered[6].computedHash()
        let relinked = verify(tampered, checkpoints)
        #expect(relinked?.kind == .linkBroken && relinked?.sequence == 8)
        var time = entries
        time[2].timestampMilliseconds += 1
        #expect(verify(time, checkpoints)?.sequence == 3)
    }

    @Test("a removed entry is found, renumbered or not, including at the end")
    func removed() {
        let (entries, checkpoints, _) = log()
        var gap = entries
        gap.remove(at: 4)
        #expect(verify(gap, checkpoints)?.kind == .removed)
        #expect(verify(gap, checkpoints)?.sequence == 5)
        var renumbered = gap
        for index in 4..<renumbered.count { renumbered[index].sequence -= 1 }
        #expect(verify(renumbered, checkpoints)?.kind == .removed)
        #expect(verify(renumbered, checkpoints)?.sequence == 5)
        let cut = Array(entries.prefix(10))
        #expect(verify(cut, checkpoints)?.kind == .truncated)
        #expect(verify(cut, checkpoints)?.sequence == 11)
    }

    @Test("an inserted entry is found, with a repeated number or with renumbering")
    func inserted() {
        let (entries, checkpoints, _) = log()
        var forged = entries[5]
        forged.event = AuditEvent(actorId: UUID(), action: .grantRevoked, reason: "cover-up")
        forged.hash = forged.computedHash()
        var repeated = entries
        repeated.insert(forged, at: 6)
        #expect(verify(repeated, checkpoints)?.kind == .inserted)
        #expect(verify(repeated, checkpoints)?.sequence == 6)
        var renumbered = entries
        renumbered.insert(forged, at: 5)
        for index in 6..<renumbered.count { renumbered[index].sequence += 1 }
        let problem = verify(renumbered, checkpoints)
        #expect(problem?.kind == .inserted && problem?.sequence == 6)
    }

    @Test("reordered entries are found, renumbered or not")
    func reordered() {
        let (entries, checkpoints, _) = log()
        var swapped = entries
        swapped.swapAt(2, 3)
        #expect(
            verify(swapped, checkpoints)
                == AuditProblem(kind: .reordered, sequence: 3, message: verify(swapped, checkpoints)!.message))
        var renumbered = swapped
        renumbered[2].sequence = 3
        renumbered[3].sequence = 4
        #expect(verify(renumbered, checkpoints)?.sequence == 3)
    }

    @Test("a fully re-hashed rewrite is caught by the next checkpoint")
    func rewrite() {
        let (entries, checkpoints, _) = log()
        var rewritten = entries
        rewritten[5].event.allowed = true
        rewritten = rehash(rewritten, from: 5)
        let problem = verify(rewritten, checkpoints)
        #expect(problem?.kind == .checkpointMismatch)
        #expect(problem?.sequence == 5)  // first entry after the last good checkpoint (4)
        // Without checkpoints the rewrite would go unnoticed — which is why they exist.
        #expect(verify(rewritten, []) == nil)
    }

    @Test("forged or altered checkpoints are rejected")
    func forgedCheckpoint() {
        let (entries, checkpoints, _) = log()
        var rewritten = entries
        rewritten[9].event.reason = "edited"
        rewritten = rehash(rewritten, from: 9)
        var forged = checkpoints
        forged[2] = AuditCheckpoint(
            sequence: 12, entryHash: rewritten[11].hash, timestampMilliseconds: forged[2].timestampMilliseconds,
            mac: forged[2].mac)
        #expect(verify(rewritten, forged)?.kind == .forgedCheckpoint)
        #expect(verify(rewritten, forged)?.sequence == 12)
        let wrongKey = AuditCheckpoint.seal(
            sequence: 12, entryHash: rewritten[11].hash, timestampMilliseconds: 0, key: SymmetricKey.generate())
        #expect(verify(rewritten, Array(checkpoints.prefix(2)) + [wrongKey])?.kind == .forgedCheckpoint)
    }
}
