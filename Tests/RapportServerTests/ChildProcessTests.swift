import Foundation
import RapportTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The test-support launcher every process test goes through (`ChildProcess`).
@Suite("ChildProcess: test programs start clean")
struct ChildProcessTests {
    @Test("a child inherits only its three standard streams, not the test's other descriptors")
    func childInheritsOnlyStandardStreams() async throws {
        let directory = try TemporaryDirectory(prefix: "child-process")
        defer { directory.remove() }
        // A descriptor without close-on-exec, as NIO's accepted sockets are: it must not leak.
        let leaked = open(directory.path("held"), O_CREAT | O_RDWR, 0o600)
        try #require(leaked >= 3)
        defer { close(leaked) }
        let outPath = directory.path("out")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let child = try ChildProcess.launch(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "ls /proc/$$/fd; pwd"],
            environment: ["PATH": "/usr/bin:/bin"], currentDirectory: directory.url.path, standardOutput: out)
        try out.close()
        #expect(await child.exit() == .exited(0))
        let lines = try String(contentsOfFile: outPath, encoding: .utf8).split(separator: "\n").map(String.init)
        // The shell's own descriptors: 0, 1, 2 and possibly one it opened itself (≥ 10 in dash).
        let inherited = lines.dropLast().compactMap(Int32.init).filter { $0 < 10 }
        #expect(inherited == [0, 1, 2], "\(lines)")
        #expect(!lines.dropLast().contains(String(leaked)), "\(lines)")
        #expect(lines.last == directory.url.path)
    }

    @Test("a signal ends a child and is reported as such; a missing program is a clear error")
    func signalsAndMissingPrograms() async throws {
        let child = try ChildProcess.launch(
            executable: URL(fileURLWithPath: "/bin/sleep"), arguments: ["600"], environment: [:])
        #expect(child.isRunning)
        child.send(SIGKILL)
        #expect(await child.exit() == .signalled(SIGKILL))
        #expect(!child.isRunning)
        #expect(child.waitUntilExit(timeout: .seconds(1)) == .signalled(SIGKILL))

        let failure = #expect(throws: ChildProcess.LaunchFailure.self) {
            try ChildProcess.launch(
                executable: URL(fileURLWithPath: "/nonexistent/rapport-tool"), arguments: [], environment: [:])
        }
        #expect(failure?.description.contains("/nonexistent/rapport-tool") == true)
    }
}
