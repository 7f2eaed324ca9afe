import CSQLite
// GRDB links the same libsqlite3 through its own shim; Clang merges the two definitions of the
// VFS structs and attributes their members to GRDBSQLite, so MemberImportVisibility needs it.
import GRDBSQLite
import Foundation
import Synchronization

/// The encrypting SQLite VFS: a shim over the default `unix` VFS that encrypts every page of
/// a store's database, WAL and rollback journal with AES-256-GCM (see `Docs/Store.md`).
///
/// It is registered under its own ``name``, never as the default, so plain SQLite keeps
/// working in the same process. A database uses it through a URI filename,
/// `file:/path/db?vfs=rapport-aes256gcm&rapport-key=TOKEN`, where the token names key
/// material registered in memory by ``EncryptedStore``; any other file the VFS is asked to
/// open (temporary databases, sub-journals, super-journals) is refused, since stores run with
/// `temp_store = MEMORY`.
public enum EncryptedVFS {
    /// The VFS's registered name.
    public static let name = "rapport-aes256gcm"

    /// The URI parameter that carries the key token.
    static let tokenParameter = "rapport-key"

    /// Bytes in front of the wrapped `unix` file inside our `sqlite3_file`: our methods
    /// pointer, then the retained ``EncryptedFile``.
    static let handleHeaderByteCount = 16

    /// Whether main-database handles opened from now on decrypt ahead on sequential reads (see
    /// ``PageReadAhead``). On by default; the benchmark turns it off to measure without.
    static let decryptAhead = Atomic<Bool>(true)

    /// Registers the VFS with SQLite once per process; later calls return the first outcome.
    ///
    /// - Throws: ``StoreError/Code/database`` if SQLite has no `unix` VFS or does not accept
    ///   URI filenames.
    static func register() throws {
        try registration.get()
    }

    private static let registration: Result<Void, StoreError> = {
        guard let unix = sqlite3_vfs_find("unix") else {
            return .failure(StoreError(code: .database, message: "SQLite has no `unix` VFS to build on; use a standard SQLite build"))
        }
        guard sqlite3_compileoption_used("USE_URI") == 1 else {
            return .failure(
                StoreError(
                    code: .database,
                    message: "this SQLite build does not accept URI filenames (SQLITE_USE_URI), which the encrypted store needs to select its VFS; link a SQLite built with SQLITE_USE_URI=1"
                ))
        }
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: makeIOMethods())
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        var definition = unix.pointee
        definition.iVersion = 2
        definition.szOsFile = Int32(handleHeaderByteCount) + unix.pointee.szOsFile
        definition.pNext = nil
        definition.zName = UnsafePointer(strdup(name))
        definition.pAppData = nil
        definition.xOpen = vfsOpen
        definition.xDelete = { _, path, syncDirectory in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xDelete(unix, path, syncDirectory)
        }
        definition.xAccess = { _, path, flags, result in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xAccess(unix, path, flags, result)
        }
        definition.xFullPathname = { _, path, count, output in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xFullPathname(unix, path, count, output)
        }
        definition.xDlOpen = nil
        definition.xDlError = nil
        definition.xDlSym = nil
        definition.xDlClose = nil
        definition.xRandomness = { _, count, output in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xRandomness(unix, count, output)
        }
        definition.xSleep = { _, microseconds in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xSleep(unix, microseconds)
        }
        definition.xCurrentTime = { _, time in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xCurrentTime(unix, time)
        }
        definition.xGetLastError = { _, count, output in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xGetLastError(unix, count, output)
        }
        definition.xCurrentTimeInt64 = { _, time in
            let unix = VFSGlobals.shared.unix
            return unix.pointee.xCurrentTimeInt64(unix, time)
        }
        definition.xSetSystemCall = nil
        definition.xGetSystemCall = nil
        definition.xNextSystemCall = nil
        vfs.initialize(to: definition)
        VFSGlobals.shared = VFSGlobals(unix: unix, methods: UnsafePointer(methods))
        let rc = sqlite3_vfs_register(vfs, 0)
        guard rc == SQLITE_OK else {
            return .failure(StoreError(code: .database, message: "sqlite3_vfs_register failed with code \(rc); SQLite could not be initialised"))
        }
        return .success(())
    }()

    /// The URI filename that opens `path` through this VFS with the key behind `token`.
    static func uri(path: String, token: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:\(escaped)?vfs=\(name)&\(tokenParameter)=\(token)"
    }
}

/// The `unix` VFS and our I/O method table, fixed once at registration.
struct VFSGlobals: @unchecked Sendable {
    let unix: UnsafeMutablePointer<sqlite3_vfs>
    let methods: UnsafePointer<sqlite3_io_methods>

    nonisolated(unsafe) static var shared: VFSGlobals! = nil
}

/// `xOpen`: opens the real file through `unix`, then wraps it.
private func vfsOpen(
    _ vfs: UnsafeMutablePointer<sqlite3_vfs>?,
    _ name: UnsafePointer<CChar>?,
    _ file: UnsafeMutablePointer<sqlite3_file>?,
    _ flags: Int32,
    _ outFlags: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let file else { return SQLiteCode.cantOpen }
    file.pointee.pMethods = nil
    let role: FileRole
    if flags & SQLITE_OPEN_MAIN_DB != 0 {
        role = .main
    } else if flags & SQLITE_OPEN_WAL != 0 {
        role = .wal
    } else if flags & SQLITE_OPEN_MAIN_JOURNAL != 0 {
        role = .journal
    } else {
        // Temporary files, sub-journals, super-journals: never written by a store.
        return SQLiteCode.cantOpen
    }
    guard let name, let tokenPointer = sqlite3_uri_parameter(name, EncryptedVFS.tokenParameter),
        let entry = VFSKeyRegistry.entry(token: String(cString: tokenPointer))
    else {
        return SQLiteCode.cantOpen
    }
    let globals = VFSGlobals.shared!
    let unix = globals.unix
    let raw = UnsafeMutableRawPointer(file)
    let real = (raw + EncryptedVFS.handleHeaderByteCount).assumingMemoryBound(to: sqlite3_file.self)
    real.pointee.pMethods = nil
    let rc = unix.pointee.xOpen(unix, name, real, flags, outFlags)
    guard rc == SQLITE_OK else { return rc }
    let closeReal = {
        if let methods = real.pointee.pMethods { _ = methods.pointee.xClose(real) }
    }
    guard let handle = try? EncryptedFile(role: role, entry: entry, real: real) else {
        closeReal()
        return SQLiteCode.cantOpen
    }
    if role == .main, let size = handle.realFileSize(), size >= 16 {
        var prefix = [UInt8](repeating: 0, count: 16)
        _ = handle.realRead(&prefix, 16, 0)
        if prefix == PageLayout.sqliteMagic {
            entry.record(.notEncrypted)
            closeReal()
            return SQLiteCode.cantOpen
        }
        if prefix != entry.fileId {
            entry.record(.fileIdMismatch)
            closeReal()
            return SQLiteCode.cantOpen
        }
    }
    if role == .main, let state = MainFileState.acquire(path: name) {
        handle.mainFile = state
        if EncryptedVFS.decryptAhead.load(ordering: .relaxed), entry.decryptAhead != .off {
            handle.readAhead = try? PageReadAhead(file: state, entry: entry, inline: entry.decryptAhead == .inline)
        }
    }
    (raw + 8).storeBytes(of: Unmanaged.passRetained(handle).toOpaque(), as: UnsafeMutableRawPointer.self)
    file.pointee.pMethods = globals.methods
    return SQLITE_OK
}
