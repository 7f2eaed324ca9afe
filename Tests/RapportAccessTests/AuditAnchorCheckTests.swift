import Foundation
import RapportAccess
import RapportCrypto
import RapportTesting
import Testing

@Suite("Audit anchors: signed heads outside the database")
struct AuditAnchorCheckTests {
    let key = try! SymmetricKey(bytes: Array(repeating: 5, count: 32))

    /// Twelve entries with a checkpoint (and so an anchor) every four.
    func log() -> (entries: [AuditEntry], checkpoints: [AuditCheckpoint]) {
        var chain = AuditChain(checkpointInterval: 4)
        var entries: [AuditEntry] = []
        var checkpoints: [AuditCheckpoint] = []
        for index in 0..<12 {
            let at = AccessFixtures.now.addingTimeInterval(Double(index))
            entries.append(chain.append(AuditEvent(actorId: UUID(), action: .login), now: at))
            if chain.isCheckpointDue { checkpoints.append(chain.checkpoint(key: key, now: at)) }
        }
        return (entries, checkpoints)
    }

    func check(anchors: [AuditCheckpoint], checkpoints: [AuditCheckpoint], entries: [AuditEntry]) -> [AuditProblem] {
        AuditChain.checkAnchors(
            anchors, checkpoints: checkpoints,
            storedHashes: Dictionary(uniqueKeysWithValues: entries.map { ($0.sequence, $0.hash) }),
            lastStoredSequence: entries.last?.sequence ?? 0, key: key)
    }

    @Test func anIntactLogAgreesWithItsAnchors() {
        let (entries, checkpoints) = log()
        #expect(check(anchors: checkpoints, checkpoints: checkpoints, entries: entries).isEmpty)
        // Before the first checkpoint there is nothing to anchor.
        #expect(check(anchors: [], checkpoints: [], entries: Array(entries.prefix(3))).isEmpty)
    }

    @Test func cuttingEntriesAndCheckpointsIsReportedWithTheMissingRange() {
        let (entries, checkpoints) = log()
        let problems = check(
            anchors: checkpoints, checkpoints: Array(checkpoints.prefix(1)), entries: Array(entries.prefix(6)))
        #expect(problems.first?.kind == .truncated)
        #expect(problems.first?.missing == AuditRange(first: 7, last: 12))
    }

    @Test func aDeletedCheckpointAndACutAnchorFileAreReported() {
        let (entries, checkpoints) = log()
        let deleted = check(anchors: checkpoints, checkpoints: [checkpoints[0], checkpoints[2]], entries: entries)
        #expect(deleted.map(\.kind) == [.checkpointMissing] && deleted.first?.sequence == 8)
        let cut = check(anchors: Array(checkpoints.prefix(1)), checkpoints: checkpoints, entries: entries)
        #expect(cut.map(\.kind) == [.anchorMissing, .anchorMissing] && cut.map(\.sequence) == [8, 12])
        let none = check(anchors: [], checkpoints: checkpoints, entries: entries)
        #expect(none.map(\.kind) == [.anchorMissing])
    }

    @Test func aForgedOrRewrittenAnchorIsReported() {
        let (entries, checkpoints) = log()
        var forged = checkpoints
        forged[2].sequence = 40
        #expect(check(anchors: forged, checkpoints: checkpoints, entries: entries).first?.kind == .forgedCheckpoint)
        var rewritten = entries
        rewritten[7].hash = Array(repeating: 9, count: 32)
        #expect(
            check(anchors: checkpoints, checkpoints: checkpoints, entries: rewritten).map(\.kind) == [
                .checkpointMismatch
            ])
    }
}
