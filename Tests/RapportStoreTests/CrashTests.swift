import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Crash safety")
struct CrashTests {
    /// `rapport-store-bench`, built by `swift test` next to the test bundle.
    static func writerExecutable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("rapport-store-bench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw StoreError(
            code: .notFound,
            message: "rapport-store-bench is not next to the test bundle (\(CommandLine.arguments[0])); run `swift build --product rapport-store-bench` with the same scratch path first")
    }

    @Test("a writer killed mid-write leaves a sound store whose outbox matches its records")
    func killedWriter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("crash.rapportdb")
        let key = SymmetricKey.generate()
        let created = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: Fixture.configuration)
        try await created.close()

        let output = Pipe()
        let process = try ChildProcess.launch(
            executable: try Self.writerExecutable(),
            arguments: ["crash-writer", path, key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }],
            environment: ProcessInfo.processInfo.environment, standardOutput: output.fileHandleForWriting)
        try output.fileHandleForWriting.close()
        // Wait for enough commits (no wall-clock timing), then kill it while it keeps writing.
        var committed = 0
        var buffer = Data()
        let reader = output.fileHandleForReading
        while committed < 23 {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
            committed = lines.compactMap { Int($0.split(separator: " ").last ?? "") }.max() ?? committed
        }
        process.send(SIGKILL)
        let termination = process.waitUntilExit()
        #expect(committed >= 23, "the writer stopped early (\(termination))")
        #expect(termination == .signalled(SIGKILL))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))

        let store = try await EncryptedStore.open(at: path, credential: .platformKey(key), configuration: Fixture.configuration)
        #expect(try await store.checkIntegrity() == ["ok"])
        let problems = try await store.outboxInconsistencies()
        #expect(problems.recordsWithoutEntry.isEmpty)
        #expect(problems.entriesWithoutRecord.isEmpty)
        let locals = try await store.records(RecordQuery(kind: .customer, namePrefix: "Local "))
        let outbox = try await store.outbox()
        #expect(locals.count >= committed)
        #expect(Set(outbox.map(\.recordId)) == Set(locals.map(\.id)))
        #expect(outbox.allSatisfy { $0.operation == .create })
        try await store.close()
    }
}
