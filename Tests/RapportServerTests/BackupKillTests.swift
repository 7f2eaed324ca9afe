import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// API backups against a real `rapport-server` killed while it writes one (issue 17,
/// "Operations"): `backups/` never shows a partial backup under a backup's name, the hidden
/// temporary file a kill leaves is removed at the next start, and retention holds across restarts.
@Suite("Backups killed mid-write")
struct BackupKillTests {
    /// SIGKILLs aimed at a backup in progress.
    static let kills = 4

    @Test(
        "a server SIGKILLed mid-backup leaves only complete backups, and retention still applies",
        .enabled(
            if: ProcessInfo.processInfo.environment["RAPPORT_BACKUP_KILL"] == "1",
            "about 200 s, too long for CI: run with RAPPORT_BACKUP_KILL=1 (Docs/Reliability.md)"))
    func killedMidBackupLeavesNoPartialFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = DataDirectory(path: dir.path("data"))
        // Enough records that a backup takes a while to write (a few MB).
        let arguments = ["--demo", "--demo-customers", "600", "--backup-retention", "2"]
        var server = try await ServerProcess.start(
            dataDirectory: data.path, arguments: arguments, timeout: .seconds(300))
        defer { server.kill() }
        let password = try #require(
            server.stdout.split(separator: "\n").first { $0.contains("password:") }?.split(separator: " ").last,
            "\(server.stdout)")
        let token = try await Self.signIn(server, password: String(password))

        var killedMidWrite = 0
        for round in 1...Self.kills {
            let running = server
            let backup = Task { try? await Self.post(running, "/v1/admin/backup", token: token) }
            // Aim: wait until the backup's temporary file exists, then kill at once.
            let deadline = ContinuousClock.now + .seconds(60)
            while Self.partialFiles(data).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .microseconds(200))
            }
            server.kill()
            _ = await backup.value
            if !Self.partialFiles(data).isEmpty { killedMidWrite += 1 }
            // Whatever carries a backup's name is a whole, sound database.
            for path in data.apiBackups() { try Self.expectComplete(path, round: round) }

            server = try await ServerProcess.start(dataDirectory: data.path, arguments: arguments)
            #expect(Self.partialFiles(data).isEmpty, "round \(round): a temporary backup file survived the restart")
        }
        #expect(killedMidWrite > 0, "no kill landed while a backup was being written")

        // Retention: three finished backups, the newest two kept, each complete.
        for _ in 0..<3 {
            let reply = try await Self.post(server, "/v1/admin/backup", token: token)
            #expect(reply.status == 201, "\(reply.text)")
        }
        let kept = data.apiBackups()
        #expect(kept.count == 2, "\(kept)")
        for path in kept { try Self.expectComplete(path, round: 0) }
        #expect(try await server.terminate() == 0, "\(server.stderr)")
        print("backups killed mid-write: \(killedMidWrite) of \(Self.kills) kills landed during a backup; \(kept.count) kept")
    }

    /// Hidden temporary files of unfinished backups in `backups/`.
    static func partialFiles(_ data: DataDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: data.backupsPath)) ?? []
        return names.filter { $0.hasPrefix(".") && $0.contains(".partial-") }
    }

    static func expectComplete(_ path: String, round: Int) throws {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let check = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        let tables = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") } ?? 0
        #expect(check == "ok", "round \(round): \(path) is not sound: \(check ?? "nil")")
        #expect(tables > 0, "round \(round): \(path) holds no tables")
    }

    struct Reply: Sendable {
        var status: Int
        var text: String
    }

    static func post(_ server: ServerProcess, _ path: String, body: Data? = nil, token: String? = nil) async throws
        -> Reply
    {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: bytes))
    }

    static func signIn(_ server: ServerProcess, password: String) async throws -> String {
        let login = LoginRequest(
            loginName: "admin", password: password, device: DeviceInfo(id: UUID(), name: "backup test", platform: "cli"))
        let reply = try await post(server, "/v1/auth/login", body: try JSONEncoder().encode(login))
        #expect(reply.status == 200, "\(reply.text)")
        let object = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any]
        return try #require((object?["tokens"] as? [String: Any])?["accessToken"] as? String)
    }
}
