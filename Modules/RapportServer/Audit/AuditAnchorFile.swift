import Foundation
import RapportAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the audit chain's signed heads are anchored outside the database the log lives in
/// (Docs/Security.md, "Audit log"). An anchor is an ``AuditCheckpoint`` — sequence, time, entry
/// hash, HMAC under the audit key — written at every checkpoint and at clean shutdown.
///
/// ``AuditAnchorFile`` is the default; several server instances over one shared database would
/// each keep their own file, or share one store that implements this protocol.
public protocol AuditAnchorStore: Sendable {
    /// Where the anchors live, for messages (a path).
    var location: String { get }
    /// Appends `anchor` durably (it is on disk when this returns).
    func append(_ anchor: AuditCheckpoint) throws(ServerError)
    /// Every anchor in the order written, with the problems met reading them.
    func read() throws(ServerError) -> AuditAnchorRead
}

/// What ``AuditAnchorStore/read()`` found.
public struct AuditAnchorRead: Sendable, Hashable {
    /// Whether the store exists at all (a missing file is reported when the log is not empty).
    public var exists: Bool
    /// The anchors, in the order written.
    public var anchors: [AuditCheckpoint]
    /// The line numbers (from 1) that are not anchors: edited lines, or a line torn by a crash.
    public var unreadableLines: [Int]

    /// Creates a result.
    public init(exists: Bool, anchors: [AuditCheckpoint], unreadableLines: [Int] = []) {
        self.exists = exists
        self.anchors = anchors
        self.unreadableLines = unreadableLines
    }
}

/// An append-only text file of anchors, one line each, fsynced, mode 0600 — by default
/// `audit-anchors.log` in the data directory (setting `auditAnchorFile`):
///
/// ```
/// rapport-audit-anchor-v1 sequence=200 time=1760000000000 hash=9f…e1 mac=4c…07
/// ```
///
/// The server writes the same line to its log stream (logger `rapport-server`, message
/// `audit anchor`), so a copy shipped elsewhere survives someone who can rewrite the data
/// directory: ``line(_:)`` and ``parse(_:)`` are the format both use.
public struct AuditAnchorFile: AuditAnchorStore, Hashable {
    /// The file's path.
    public var path: String

    /// The anchor file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The default anchor file of a data directory.
    public init(directory: DataDirectory) {
        self.path = directory.auditAnchorsPath
    }

    /// The path.
    public var location: String { path }

    /// One anchor as a line (without the newline).
    public static func line(_ anchor: AuditCheckpoint) -> String {
        "rapport-audit-anchor-v1 sequence=\(anchor.sequence) time=\(anchor.timestampMilliseconds) hash=\(AuditLine.hex(anchor.entryHash)) mac=\(AuditLine.hex(anchor.mac))"
    }

    /// The anchor a line holds, or `nil` when it is not one.
    public static func parse(_ line: Substring) -> AuditCheckpoint? {
        let parts = line.split(separator: " ")
        guard parts.count == 5, parts[0] == "rapport-audit-anchor-v1" else { return nil }
        var values: [Substring: Substring] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { return nil }
            values[part[..<equals]] = part[part.index(after: equals)...]
        }
        guard let sequence = values["sequence"].flatMap({ UInt64($0) }),
            let time = values["time"].flatMap({ Int64($0) }),
            let hash = values["hash"].flatMap(bytes), hash.count == 32,
            let mac = values["mac"].flatMap(bytes), mac.count == 32
        else { return nil }
        return AuditCheckpoint(sequence: sequence, entryHash: hash, timestampMilliseconds: time, mac: mac)
    }

    /// Appends the anchor's line with `O_APPEND` and fsyncs it; creates the file 0600.
    public func append(_ anchor: AuditCheckpoint) throws(ServerError) {
        let created = !FileManager.default.fileExists(atPath: path)
        if created {
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ServerError(
                .storage,
                "cannot open the audit anchor file '\(path)' (errno \(errno)); check the data directory's permissions and disk"
            )
        }
        defer { close(fd) }
        if created { _ = fchmod(fd, 0o600) }
        // A line torn by a crash or a full disk is cut off first, so this anchor starts a line
        // of its own instead of merging with the fragment into one unreadable line.
        let end = Self.endOfLastCompleteLine(fd)
        if end.size != end.complete { _ = ftruncate(fd, end.complete) }
        let bytes = Array((Self.line(anchor) + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let failure = errno
            // Leave no fragment behind (a short write on a full disk).
            _ = ftruncate(fd, end.complete)
            throw ServerError(
                .storage, "cannot write the audit anchor file '\(path)' (errno \(failure)); check the disk")
        }
        if created {
            // Make the new directory entry durable too.
            let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
            if directory >= 0 {
                _ = fsync(directory)
                close(directory)
            }
        }
    }

    /// Starts the file anew from `checkpoints` — after a restore, when the restored database
    /// legitimately ends before the newest anchor. The old file is kept beside it as
    /// `<name>.before-restore-<time>` for the investigation of what the restore dropped.
    ///
    /// - Returns: the archived file's path, or `nil` when there was no file.
    @discardableResult
    public func restart(from checkpoints: [AuditCheckpoint], now: Date = Date()) throws(ServerError) -> String? {
        var archived: String?
        if FileManager.default.fileExists(atPath: path) {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            let target = path + ".before-restore-" + stamp
            guard rename(path, target) == 0 else {
                throw ServerError(
                    .storage,
                    "cannot archive the audit anchor file '\(path)' (errno \(errno)); check the directory's permissions"
                )
            }
            archived = target
        }
        for checkpoint in checkpoints { try append(checkpoint) }
        return archived
    }

    /// The file's size and the offset just after its last newline (equal when the file ends
    /// with a complete line, or is empty).
    static func endOfLastCompleteLine(_ fd: Int32) -> (size: off_t, complete: off_t) {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return (max(size, 0), max(size, 0)) }
        var offset = size
        var byte: UInt8 = 0
        while offset > 0 {
            guard pread(fd, &byte, 1, offset - 1) == 1 else { return (size, size) }
            if byte == UInt8(ascii: "\n") { break }
            offset -= 1
        }
        return (size, offset)
    }

    /// Reads every line. A last line without its newline is a write torn by a crash or a full
    /// disk (anchors are appended and fsynced line by line): it is left out, not reported —
    /// the next append cuts it off. Every other line that is not an anchor is reported.
    public func read() throws(ServerError) -> AuditAnchorRead {
        guard FileManager.default.fileExists(atPath: path) else { return AuditAnchorRead(exists: false, anchors: []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError(
                .storage, "cannot read the audit anchor file '\(path)'; check its permissions (the server must read it)"
            )
        }
        var anchors: [AuditCheckpoint] = []
        var unreadable: [Int] = []
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if data.last != UInt8(ascii: "\n"), let torn = lines.last, Self.parse(torn) == nil { lines.removeLast() }
        for (index, line) in lines.enumerated() where !line.isEmpty {
            if let anchor = Self.parse(line) { anchors.append(anchor) } else { unreadable.append(index + 1) }
        }
        return AuditAnchorRead(exists: true, anchors: anchors, unreadableLines: unreadable)
    }

    static func bytes(_ hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}
