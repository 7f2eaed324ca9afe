import Foundation
import RapportTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A child process the test can SIGKILL at a moment of its choosing, with its output in a file.
final class Spawned: @unchecked Sendable {
    let process: ChildProcess
    private let outputPath: String

    /// Starts `binary arguments…` with `environment` (no inherited `RAPPORT_*`) and `stdin`.
    init(_ binary: URL, _ arguments: [String], environment: [String: String], stdin: String = "", scratch: String)
        throws
    {
        outputPath = scratch + "/out-\(UUID().uuidString)"
        let inputPath = scratch + "/in-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") }
        env.merge(environment) { $1 }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        defer {
            try? output.close()
            try? input.close()
        }
        process = try ChildProcess.launch(
            executable: binary, arguments: arguments, environment: env, standardInput: input,
            standardOutput: output, standardError: output)
    }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// SIGKILL (if still running); returns whether it was killed rather than already done.
    @discardableResult
    func kill() async -> Bool {
        let running = process.isRunning
        process.send(SIGKILL)
        _ = await process.exit()
        return running
    }

    /// Waits for it to exit; its status and output.
    func wait() async -> (status: Int32, output: String) {
        let status = await process.exit().status
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }
}
