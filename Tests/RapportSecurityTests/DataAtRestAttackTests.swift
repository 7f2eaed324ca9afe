import Foundation
import Logging
import NIOHTTP1
import RapportCrypto
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Another account on the server machine reads the data directory: the database, its WAL, the
/// keys, the anchors and the backups must be the server's alone, whatever the umask.
@Suite("Attack: reading the server's files at rest", .serialized)
struct DataAtRestAttackTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test("a server started under umask 022 leaves nothing in its data directory readable by others")
    func filesAreOwnerOnly() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let server = try await LiveServer.start(label: "rapport-at-rest", logLevel: .critical)
        defer { server.directory.remove() }
        // Writes that make the WAL, a backup, the canary key and an anchor.
        let token = try await server.login(server.admin.loginName, password: server.admin.password).tokens.accessToken
        #expect(try await server.send(.POST, "/v1/admin/backup", token: token).status == 201)
        _ = try await server.send(.GET, "/v1/admin/canaries", token: token)
        await server.beginShutdown()
        try await server.waitStopped()

        let data = server.services.dataDirectory
        #expect(Self.mode(data.path) == 0o700, "data directory mode \(String(Self.mode(data.path) ?? 0, radix: 8))")
        #expect(Self.mode(data.backupsPath) == 0o700)
        var checked: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: data.path)
        while let name = enumerator?.nextObject() as? String {
            let path = data.path + "/" + name
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let mode = Self.mode(path) ?? 0
            #expect(mode & 0o077 == 0, "\(name) has mode \(String(mode, radix: 8))")
            checked.append(name)
        }
        #expect(checked.contains("rapport.sqlite") && checked.contains("audit.key"), "\(checked)")
        #expect(checked.contains { $0.hasPrefix("backups/") }, "\(checked)")
    }

    @Test("the server refuses a data directory that group or others can read, saying how to fix it")
    func refusesAnOpenDirectory() async throws {
        let parent = try TemporaryDirectory(prefix: "rapport-at-rest")
        defer { parent.remove() }
        let path = parent.path("data")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o755)
        var configuration = ServerConfiguration(port: 0, dataDirectory: path)
        configuration.passwordHashing = .testing
        configuration.logLevel = .critical
        do {
            let running = try await RunningServer.start(configuration: configuration)
            try await running.stop()
            Issue.record("the server started on a data directory with mode 755")
        } catch let error as ServerError {
            #expect(error.message.contains("chmod 700"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: path + "/rapport.sqlite"), "the database was created anyway")

        // A database file others can read is refused too, once the directory is fixed.
        chmod(path, 0o700)
        let first = try await RunningServer.start(configuration: configuration)
        try await first.stop()
        chmod(path + "/rapport.sqlite", 0o644)
        do {
            let running = try await RunningServer.start(configuration: configuration)
            try await running.stop()
            Issue.record("the server started on a database file with mode 644")
        } catch let error as ServerError {
            #expect(error.message.contains("chmod 600"), "\(error.message)")
        }
    }

    @Test("`rapport-server serve` on a data directory others can enter exits 1 with the chmod that fixes it")
    func theBinaryRefusesAnOpenDirectory() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("rapport-server")
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path), "build rapport-server first (swift build)")
        let parent = try TemporaryDirectory(prefix: "rapport-at-rest")
        defer { parent.remove() }
        let path = parent.path("data")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o750)
        let stderr = Pipe()
        let process = try ChildProcess.launch(
            executable: binary, arguments: ["serve", "--data-dir", path, "--port", "0"],
            environment: ProcessInfo.processInfo.environment, standardError: stderr.fileHandleForWriting)
        try stderr.fileHandleForWriting.close()
        // A safety net only: a server that starts instead of refusing would otherwise run forever.
        guard let termination = process.waitUntilExit(timeout: .seconds(120)) else {
            process.send(SIGKILL)
            Issue.record("rapport-server started on a data directory with mode 750")
            return
        }
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(termination == .exited(1))
        #expect(message.contains("chmod 700 '\(path)'"), "stderr: \(message)")
        #expect(!FileManager.default.fileExists(atPath: path + "/rapport.sqlite"))
    }
}
