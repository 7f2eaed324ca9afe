import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program a test starts: spawned with every descriptor but its standard three closed, in a
/// process group of its own, reaped by a thread of its own.
///
/// Tests use it instead of Foundation's `Process`, whose `run()` on Linux copies a whole
/// 256-byte `d_name` out of each `/proc/self/fd` entry and so reads past `readdir`'s buffer:
/// with many descriptors open (a test process holding hundreds of sockets) it crashed in
/// `memcpy` about one full `swift test` run in three (swift-corelibs-foundation pull request
/// 5472). Closing every other descriptor in the child also means a child never keeps a
/// stopped test server's listening socket alive.
///
/// ```swift
/// let child = try ChildProcess.launch(executable: url, arguments: ["--version"], standardOutput: handle)
/// let termination = await child.exit()
/// #expect(termination == .exited(0))
/// ```
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal with this number ended it.
        case signalled(Int32)

        /// The exit status, or the signal's number (what Foundation's `terminationStatus` gives).
        public var status: Int32 {
            switch self {
            case .exited(let status), .signalled(let status): status
            }
        }

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "ended by signal \(signal)"
            }
        }
    }

    /// The child could not be started.
    public struct LaunchFailure: Error, CustomStringConvertible {
        /// What failed, with the errno's text.
        public var description: String
    }

    /// The child's process id.
    public let processIdentifier: Int32
    private let condition = NSCondition()
    private var termination: Termination?
    private var waiters: [CheckedContinuation<Termination, Never>] = []

    private init(processIdentifier: Int32) {
        self.processIdentifier = processIdentifier
    }

    /// Starts `executable` with `arguments` and exactly `environment` (nothing is inherited
    /// unless the caller passes it) in `currentDirectory` (nil: the test's own). A `nil`
    /// standard stream is `/dev/null`.
    public static func launch(
        executable: URL, arguments: [String], environment: [String: String],
        currentDirectory: String? = nil, standardInput: FileHandle? = nil,
        standardOutput: FileHandle? = nil, standardError: FileHandle? = nil
    ) throws -> ChildProcess {
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw LaunchFailure(description: "cannot open /dev/null: \(errnoText(errno))") }
        defer { close(devNull) }
        let argv = cStrings([executable.path] + arguments)
        let envp = cStrings(environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        defer {
            freeCStrings(argv)
            freeCStrings(envp)
        }
        var pid: pid_t = 0
        let error = executable.path.withCString { path in
            withOptionalCString(currentDirectory) { cwd in
                rapport_spawn(
                    &pid, path, argv, envp, cwd,
                    standardInput?.fileDescriptor ?? devNull,
                    standardOutput?.fileDescriptor ?? devNull,
                    standardError?.fileDescriptor ?? devNull)
            }
        }
        guard error == 0 else {
            throw LaunchFailure(description: "cannot start \(executable.path): \(errnoText(error))")
        }
        let child = ChildProcess(processIdentifier: pid)
        let reaper = Thread { child.reap() }
        reaper.name = "reaper \(pid)"
        reaper.start()
        return child
    }

    /// Whether it has not ended yet.
    public var isRunning: Bool {
        condition.withLock { termination == nil }
    }

    /// How it ended, or `nil` while it runs.
    public var terminationIfEnded: Termination? {
        condition.withLock { termination }
    }

    /// Sends `signal` (e.g. `SIGTERM`, `SIGKILL`) unless it has already ended.
    public func send(_ signal: Int32) {
        condition.withLock {
            // Under the lock, before the reaper records the end: the pid is not reused yet.
            if termination == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Waits for it to end without blocking a thread.
    public func exit() async -> Termination {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let termination {
                condition.unlock()
                continuation.resume(returning: termination)
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Blocks the calling thread until it ends (for synchronous test helpers).
    @discardableResult
    public func waitUntilExit() -> Termination {
        condition.lock()
        defer { condition.unlock() }
        while termination == nil { condition.wait() }
        return termination!
    }

    /// Blocks the calling thread until it ends or `timeout` passes; `nil` if it still runs
    /// (a safety net for a child that should have exited, not a timing measurement).
    public func waitUntilExit(timeout: Duration) -> Termination? {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while termination == nil, condition.wait(until: deadline) {}
        return termination
    }

    private func reap() {
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(processIdentifier, &status, 0)
        } while result == -1 && errno == EINTR
        // Decoded by hand: glibc's WIFEXITED and friends are macros Swift does not import.
        let signal = status & 0x7f
        let ended: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        condition.lock()
        termination = ended
        let waiting = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in waiting { waiter.resume(returning: ended) }
    }
}

private func cStrings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    let buffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (index, string) in strings.enumerated() { buffer[index] = strdup(string) }
    buffer[strings.count] = nil
    return buffer
}

private func freeCStrings(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) {
    var index = 0
    while let string = buffer[index] {
        free(string)
        index += 1
    }
    buffer.deallocate()
}

private func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}

private func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
