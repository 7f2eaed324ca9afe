import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a data directory, held by a running server (and by `restore`,
/// `add-admin` and `check`) so that no two processes ever open the same database to write.
///
/// Two `flock`s are taken: one on **the data directory itself**, which no `rm` of a file inside
/// it can take away, and one on `rapport.lock`, which also holds the holder's pid and start time
/// for people (and kept for servers of earlier versions, which lock only the file). When the
/// lock file was deleted, the holder is found in the kernel's lock table (`/proc/locks`).
///
/// The locks are released by ``release()`` or when the process ends, even by a crash.
public final class DataDirectoryLock: Sendable {
    private let directoryDescriptor: Int32
    private let descriptor: Int32

    /// Takes the lock and writes this process's id and start time into the lock file.
    ///
    /// - Throws: ``ServerError/Code/serverRunning`` if another holder has it (naming its pid and
    ///   start time), ``ServerError/Code/storage`` if the directory or lock file cannot be opened.
    public init(_ directory: DataDirectory) throws(ServerError) {
        try directory.create()
        let directoryFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else {
            throw ServerError(
                .storage, "cannot open the data directory '\(directory.path)' (errno \(errno)); check permissions")
        }
        guard flock(directoryFD, LOCK_EX | LOCK_NB) == 0 else {
            close(directoryFD)
            throw Self.inUse(directory, lockedInode: Self.inode(of: directory.path))
        }
        let fd = open(directory.lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let failure = errno
            close(directoryFD)
            throw ServerError(
                .storage, "cannot open the lock file '\(directory.lockPath)' (errno \(failure)); check permissions")
        }
        _ = fchmod(fd, 0o600)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            close(directoryFD)
            throw Self.inUse(directory, lockedInode: Self.inode(of: directory.lockPath))
        }
        _ = ftruncate(fd, 0)
        let started = ISO8601DateFormatter().string(from: Date())
        let text = "\(getpid())\nstarted \(started)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        directoryDescriptor = directoryFD
        descriptor = fd
    }

    /// Releases the lock.
    public func release() {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        flock(directoryDescriptor, LOCK_UN)
    }

    deinit {
        close(descriptor)
        close(directoryDescriptor)
    }

    // MARK: - Naming the holder

    /// The refusal, naming the holder as the kernel's lock table knows it (the pid of whoever
    /// holds a lock on `lockedInode`) or, failing that, as the lock file says.
    private static func inUse(_ directory: DataDirectory, lockedInode: (device: UInt64, inode: UInt64)?) -> ServerError {
        let pid = lockedInode.flatMap(holderPid) ?? lockFilePid(directory)
        let holder: String
        if let pid {
            let started = processStart(pid).map { ", started \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            holder = "process \(pid)\(started)"
        } else {
            holder = "another process"
        }
        return ServerError(
            .serverRunning,
            "the data directory '\(directory.path)' is in use by \(holder); stop that server first (SIGTERM), then retry"
        )
    }

    /// The pid the lock file names, if it exists and starts with one.
    private static func lockFilePid(_ directory: DataDirectory) -> Int32? {
        guard let text = try? String(contentsOfFile: directory.lockPath, encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Device and inode of `path`, as `/proc/locks` names locked files.
    static func inode(of path: String) -> (device: UInt64, inode: UInt64)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        else { return nil }
        return (device, inode)
    }

    /// The pid holding an exclusive `flock` on the file, from Linux's `/proc/locks`
    /// (`1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234567 0 EOF`); `nil` elsewhere.
    static func holderPid(_ file: (device: UInt64, inode: UInt64)) -> Int32? {
        guard let table = readWhole("/proc/locks") else { return nil }
        let major = ((file.device >> 8) & 0xfff) | ((file.device >> 32) & ~UInt64(0xfff))
        let minor = (file.device & 0xff) | ((file.device >> 12) & ~UInt64(0xff))
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[3] == "WRITE" else { continue }
            let id = fields[5].split(separator: ":")
            guard id.count == 3, UInt64(id[2]) == file.inode,
                UInt64(id[0], radix: 16) == major, UInt64(id[1], radix: 16) == minor
            else { continue }
            if let pid = Int32(fields[4]), pid > 0 { return pid }
        }
        return nil
    }

    /// When process `pid` started, from `/proc/<pid>/stat` and the boot time; `nil` elsewhere.
    static func processStart(_ pid: Int32) -> Date? {
        guard let stat = readWhole("/proc/\(pid)/stat"),
            let nameEnd = stat.lastIndex(of: ")"),
            let system = readWhole("/proc/stat"),
            let bootLine = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let boot = Double(bootLine.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        // Fields after the command name start at field 3 (state); starttime is field 22.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 19, let ticks = Double(fields[19]), ticksPerSecond > 0 else { return nil }
        return Date(timeIntervalSince1970: boot + ticks / ticksPerSecond)
    }

    /// The whole text of a `/proc` file, read until end of file (they report a size of 0, and
    /// `/proc/locks` runs to many pages on a busy machine).
    private static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
