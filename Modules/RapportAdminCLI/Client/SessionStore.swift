import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The session file and, beside it, the tool's device id (kept across logins so the server
/// sees one device per machine). Files are created with mode 0600 in a 0700 directory and
/// replaced atomically; a session file others can read is refused.
///
/// ```swift
/// let store = SessionStore(path: SessionStore.defaultPath())
/// try store.save(session)
/// let saved = try store.load()
/// ```
public struct SessionStore: Sendable, Hashable {
    /// The session file's path.
    public let path: String

    /// Creates a store at `path`.
    public init(path: String) {
        self.path = path
    }

    /// `--session-file`, else `RAPPORT_SESSION_FILE`, else `$XDG_CONFIG_HOME/rapport/admin-session.json`,
    /// else `~/.config/rapport/admin-session.json`.
    public static func defaultPath(flag: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let flag, !flag.isEmpty { return flag }
        if let path = environment["RAPPORT_SESSION_FILE"], !path.isEmpty { return path }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/rapport/admin-session.json" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/rapport/admin-session.json"
    }

    /// The device-id file beside the session file.
    public var deviceIdPath: String { path + ".device" }

    /// The saved session, or `nil` if there is none.
    ///
    /// - Throws: ``AdminError/Code/local`` if the file is readable by others or unreadable.
    public func load() throws(AdminError) -> Session? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try PrivateFile.checkPrivate(path, what: "session file", advice: "or `rapport-admin logout` and log in again")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AdminError(.local, "cannot read the session file \(path); check its permissions or log in again")
        }
        do {
            return try RapportWire.decoder.decode(Session.self, from: data)
        } catch {
            throw AdminError(
                .local, "the session file \(path) is damaged; run `rapport-admin logout`, then log in again")
        }
    }

    /// Saves `session` (mode 0600, atomically).
    public func save(_ session: Session) throws(AdminError) {
        let data: Data
        do {
            data = try RapportWire.encoder.encode(session)
        } catch {
            throw AdminError(.local, "cannot encode the session: \(error)")
        }
        try Self.writePrivate(data, to: path)
    }

    /// Deletes the session file; returns whether there was one.
    @discardableResult
    public func delete() -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return unlink(path) == 0
    }

    /// The device id for this machine, created (and saved, mode 0600) on first use.
    public func deviceId() throws(AdminError) -> UUID {
        if let data = FileManager.default.contents(atPath: deviceIdPath),
            let id = UUID(uuidString: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return id
        }
        let id = UUID()
        try Self.writePrivate(Data((id.uuidString + "\n").utf8), to: deviceIdPath)
        return id
    }

    /// Writes `data` to `file` with mode 0600 (a new temporary file, fsync, rename), creating the
    /// directory with mode 0700. The contexts file is written the same way.
    static func writePrivate(_ data: Data, to file: String) throws(AdminError) {
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw AdminError(.local, "cannot create the directory \(directory) for the session file; check its permissions or pass --session-file")
            }
        }
        let temporary = file + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw AdminError(.local, "cannot write \(file): \(String(cString: strerror(errno))); check the directory's permissions or pass --session-file")
        }
        fchmod(fd, 0o600)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == data.count, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw AdminError(.local, "cannot write \(file): \(String(cString: strerror(errno))); check the disk and permissions")
        }
    }
}
