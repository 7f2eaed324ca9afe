import Foundation
import RapportAccess
import RapportCrypto
import RapportServer
import RapportTesting
import Testing

@Suite("Audit anchor file: append-only lines, 0600, unreadable lines reported")
struct AuditAnchorFileTests {
    @Test func appendsAndReadsAnchorsInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "rapport-anchor-test")
        defer { directory.remove() }
        let file = AuditAnchorFile(path: directory.path("nested/audit-anchors.log"))
        #expect(try file.read() == AuditAnchorRead(exists: false, anchors: []))
        let key = try SymmetricKey(bytes: Array(repeating: 1, count: 32))
        let anchors = (1...3).map {
            AuditCheckpoint.seal(
                sequence: UInt64($0 * 100), entryHash: Array(repeating: UInt8($0), count: 32),
                timestampMilliseconds: Int64($0), key: key)
        }
        for anchor in anchors { try file.append(anchor) }
        #expect(try file.read() == AuditAnchorRead(exists: true, anchors: anchors))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(AuditAnchorFile.parse(Substring(AuditAnchorFile.line(anchors[1]))) == anchors[1])

        let handle = try #require(FileHandle(forWritingAtPath: file.path))
        handle.seekToEndOfFile()
        handle.write(Data("rapport-audit-anchor-v1 sequence=400 time=4 hash=zz\n".utf8))
        try handle.close()
        let read = try file.read()
        #expect(read.anchors == anchors && read.unreadableLines == [4])
    }
}
