import Foundation
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// One server per data directory, whatever happens to the lock file (issue 17, "Operations").
@Suite("Single instance per data directory")
struct SingleInstanceTests {
    @Test("a second lock on the directory is refused, naming the holder, after the lock file was deleted")
    func lockSurvivesDeletingTheLockFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = DataDirectory(path: dir.path("data"))
        let held = try DataDirectoryLock(data)
        defer { held.release() }
        try FileManager.default.removeItem(atPath: data.lockPath)
        do {
            _ = try DataDirectoryLock(data)
            Issue.record("a second lock was granted after the lock file was deleted")
        } catch {
            #expect(error.code == .serverRunning)
            #expect(error.message.contains("process \(getpid())"), "\(error.message)")
        }
    }

    @Test("a second rapport-server on the same data exits 1 naming the first one's pid and start, lock file deleted")
    func secondServerProcessIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = DataDirectory(path: dir.path("data"))
        let first = try await ServerProcess.start(dataDirectory: data.path)
        defer { first.kill() }
        let lockText = try String(contentsOfFile: data.lockPath, encoding: .utf8)
        #expect(lockText.hasPrefix("\(first.pid)\nstarted "), "\(lockText)")
        try FileManager.default.removeItem(atPath: data.lockPath)

        let second = try await ServerProcess.start(dataDirectory: data.path, waitUntilListening: false)
        defer { second.kill() }
        let status = try await second.waitForExit()
        #expect(status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("is in use by process \(first.pid), started 20"), "\(second.stderr)")
        #expect(!second.stderr.contains("listening"))

        #expect(try await first.terminate() == 0, "\(first.stderr)")
        // Once the first stopped, the directory is free again.
        let third = try await ServerProcess.start(dataDirectory: data.path)
        defer { third.kill() }
        #expect(try await third.terminate() == 0, "\(third.stderr)")
    }
}
