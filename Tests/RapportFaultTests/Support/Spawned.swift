import Foundation
import RapportTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A child process the test can SIGKILL at a moment of its choosing, with its output in a file.
final class Spawned: @unchecked Sendable {
    let process = Process()
    private let exited: Task<Int32, Never>
    private let outputPath: String

    /// Starts `binary arguments…` with `environment` (no inherited `RAPPORT_*`) and `stdin`.
    init(_ binary: URL, _ arguments: [String], environment: [String: String], stdin: String = "", scratch: String)
        throws
    {
        outputPath = scratch + "/out-\(UUID().uuidString)"
        let inputPath = scratch + "/in-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") }
        env.merge(environment) { $1 }
        process.environment = env
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = {
            continuation.yield($0.terminationStatus); continuation.finish()
        }
        try ProcessLaunch.run(process)
        exited = Task { await stream.first { _ in true } ?? -1 }
    }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// SIGKILL (if still running); returns whether it was killed rather than already done.
    @discardableResult
    func kill() async -> Bool {
        let running = process.isRunning
        if running { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        _ = await exited.value
        return running
    }

    /// Waits for it to exit; its status and output.
    func wait() async -> (status: Int32, output: String) {
        let status = await exited.value
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }
}
