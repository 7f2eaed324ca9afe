import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on the data directory's lock file, held by a running
/// server so that `restore` can refuse to replace a database in use.
///
/// The lock is released by ``release()`` or when the process ends, even by a crash.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock and writes this process's id into the lock file.
    ///
    /// - Throws: ``ServerError/Code/serverRunning`` if another holder has it (naming its pid),
    ///   ``ServerError/Code/storage`` if the lock file cannot be opened.
    public init(_ directory: DataDirectory) throws(ServerError) {
        try directory.create()
        let fd = open(directory.lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ServerError(
                .storage, "cannot open the lock file '\(directory.lockPath)' (errno \(errno)); check permissions")
        }
        _ = fchmod(fd, 0o600)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let pid = (try? String(contentsOfFile: directory.lockPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let holder = pid.flatMap { $0.isEmpty ? nil : "process \($0)" } ?? "another process"
            throw ServerError(
                .serverRunning,
                "the data directory '\(directory.path)' is in use by \(holder); stop that server first (SIGTERM), then retry"
            )
        }
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    /// Releases the lock.
    public func release() {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
    }

    deinit {
        close(descriptor)
    }
}
