import CSQLite
// GRDB links the same libsqlite3 through its own shim; Clang merges the two definitions of the
// VFS structs and attributes their members to GRDBSQLite, so MemberImportVisibility needs it.
import GRDBSQLite
import Foundation
import Synchronization

/// A fault-injecting SQLite VFS for tests: a pass-through shim over the default `unix` VFS
/// that makes writes (or reads, or syncs) of chosen files fail the way a full or failing disk
/// makes them fail — `SQLITE_FULL` or `SQLITE_IOERR_*` from the real file's methods — so the
/// server's own error handling runs on a real database file.
///
/// Registered under ``name``, never as the default; a database opts in with
/// `SQLiteServerStorage(path:vfs: FaultVFS.name)`. Files opened through it (the database, its
/// WAL, and the target of `VACUUM INTO`) fail only while a rule matching their path is armed.
///
/// ```swift
/// try FaultVFS.register()
/// let storage = try SQLiteServerStorage(path: path, vfs: FaultVFS.name)
/// FaultVFS.arm(.ioError, onPathsContaining: dir.path("data"))
/// defer { FaultVFS.disarm(onPathsContaining: dir.path("data")) }
/// ```
public enum FaultVFS {
    /// The VFS's registered name.
    public static let name = "rapport-fault"

    /// What an armed rule makes fail.
    public enum Fault: Sendable, Equatable {
        /// Writes and syncs fail with `SQLITE_FULL`, as on a full disk (truncations with
        /// `SQLITE_IOERR_TRUNCATE`); reads work.
        case diskFull
        /// Reads, writes, truncations and syncs fail with `SQLITE_IOERR_READ` / `_WRITE` /
        /// `_TRUNCATE` / `_FSYNC`.
        case ioError
        /// Writes, truncations and syncs fail with `SQLITE_IOERR_*`; reads still work.
        case writeIOError
    }

    /// Armed rules: a path fragment and its fault.
    private static let rules = Mutex<[String: Fault]>([:])
    /// How many operations failed because of a rule.
    private static let injected = Atomic<Int>(0)

    /// Makes every file whose path contains `fragment` fail with `fault` from now on.
    public static func arm(_ fault: Fault, onPathsContaining fragment: String) {
        rules.withLock { $0[fragment] = fault }
    }

    /// Stops failing files whose path contains `fragment`.
    public static func disarm(onPathsContaining fragment: String) {
        _ = rules.withLock { $0.removeValue(forKey: fragment) }
    }

    /// How many operations failed by injection so far (a test checks its fault was hit).
    public static var injectedFailures: Int { injected.load(ordering: .relaxed) }

    static func fault(for path: String) -> Fault? {
        rules.withLock { rules in rules.first { path.contains($0.key) }?.value }
    }

    static func countInjection() { injected.add(1, ordering: .relaxed) }

    /// Registers the VFS once per process.
    public static func register() throws {
        try registration.get()
    }

    /// SQLite has no `unix` VFS or no URI filenames.
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    private static let registration: Result<Void, Unsupported> = {
        guard let unix = sqlite3_vfs_find("unix") else {
            return .failure(Unsupported(description: "SQLite has no `unix` VFS"))
        }
        guard sqlite3_compileoption_used("USE_URI") == 1 else {
            return .failure(Unsupported(description: "this SQLite does not accept URI filenames (SQLITE_USE_URI)"))
        }
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: makeIOMethods())
        FaultGlobals.shared = FaultGlobals(unix: unix, methods: UnsafePointer(methods))
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        var definition = unix.pointee
        definition.iVersion = 2
        definition.szOsFile = Int32(headerByteCount) + unix.pointee.szOsFile
        definition.pNext = nil
        definition.zName = UnsafePointer(strdup(name))
        definition.pAppData = nil
        definition.xOpen = faultOpen
        definition.xDelete = { _, path, syncDirectory in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xDelete(unix, path, syncDirectory)
        }
        definition.xAccess = { _, path, flags, result in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xAccess(unix, path, flags, result)
        }
        definition.xFullPathname = { _, path, count, output in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xFullPathname(unix, path, count, output)
        }
        definition.xDlOpen = nil
        definition.xDlError = nil
        definition.xDlSym = nil
        definition.xDlClose = nil
        definition.xRandomness = { _, count, output in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xRandomness(unix, count, output)
        }
        definition.xSleep = { _, microseconds in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xSleep(unix, microseconds)
        }
        definition.xCurrentTime = { _, time in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xCurrentTime(unix, time)
        }
        definition.xGetLastError = { _, count, output in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xGetLastError(unix, count, output)
        }
        definition.xCurrentTimeInt64 = { _, time in
            let unix = FaultGlobals.shared.unix
            return unix.pointee.xCurrentTimeInt64(unix, time)
        }
        definition.xSetSystemCall = nil
        definition.xGetSystemCall = nil
        definition.xNextSystemCall = nil
        vfs.initialize(to: definition)
        let rc = sqlite3_vfs_register(vfs, 0)
        guard rc == SQLITE_OK else {
            return .failure(Unsupported(description: "sqlite3_vfs_register failed with code \(rc)"))
        }
        return .success(())
    }()

    /// Bytes in front of the wrapped `unix` file inside our `sqlite3_file`: our methods
    /// pointer, then the retained ``FaultFile``.
    static let headerByteCount = 16
}

/// The `unix` VFS and our I/O method table, fixed once at registration.
struct FaultGlobals: @unchecked Sendable {
    let unix: UnsafeMutablePointer<sqlite3_vfs>
    let methods: UnsafePointer<sqlite3_io_methods>

    nonisolated(unsafe) static var shared: FaultGlobals! = nil
}

/// One open file: its path and the wrapped `unix` file.
final class FaultFile {
    let path: String
    let real: UnsafeMutablePointer<sqlite3_file>

    init(path: String, real: UnsafeMutablePointer<sqlite3_file>) {
        self.path = path
        self.real = real
    }

    var fault: FaultVFS.Fault? { FaultVFS.fault(for: path) }
}

/// `xOpen`: opens the real file through `unix`, then wraps it.
private func faultOpen(
    _ vfs: UnsafeMutablePointer<sqlite3_vfs>?,
    _ name: UnsafePointer<CChar>?,
    _ file: UnsafeMutablePointer<sqlite3_file>?,
    _ flags: Int32,
    _ outFlags: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let file else { return SQLITE_CANTOPEN }
    file.pointee.pMethods = nil
    let globals = FaultGlobals.shared!
    let unix = globals.unix
    let raw = UnsafeMutableRawPointer(file)
    let real = (raw + FaultVFS.headerByteCount).assumingMemoryBound(to: sqlite3_file.self)
    real.pointee.pMethods = nil
    let rc = unix.pointee.xOpen(unix, name, real, flags, outFlags)
    guard rc == SQLITE_OK else { return rc }
    let handle = FaultFile(path: name.map { String(cString: $0) } ?? "", real: real)
    (raw + 8).storeBytes(of: Unmanaged.passRetained(handle).toOpaque(), as: UnsafeMutableRawPointer.self)
    file.pointee.pMethods = globals.methods
    return SQLITE_OK
}

extension FaultVFS {
    /// Every method delegates to the wrapped file, after checking the armed rules for reads,
    /// writes, truncations and syncs (``injectedCode(_:_:)``).
    static func makeIOMethods() -> sqlite3_io_methods {
        var methods = sqlite3_io_methods()
        methods.iVersion = 2
        methods.xClose = { file in
            guard let file else { return SQLITE_OK }
            let slot = UnsafeMutableRawPointer(file) + 8
            let handle = Unmanaged<FaultFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self))
                .takeRetainedValue()
            let real = handle.real
            let rc = real.pointee.pMethods.pointee.xClose(real)
            file.pointee.pMethods = nil
            return rc
        }
        methods.xRead = { file, buffer, count, offset in
            let handle = handle(file!)
            if let code = injectedCode(handle.fault, .read) { return code }
            return handle.real.pointee.pMethods.pointee.xRead(handle.real, buffer, count, offset)
        }
        methods.xWrite = { file, buffer, count, offset in
            let handle = handle(file!)
            if let code = injectedCode(handle.fault, .write) { return code }
            return handle.real.pointee.pMethods.pointee.xWrite(handle.real, buffer, count, offset)
        }
        methods.xTruncate = { file, size in
            let handle = handle(file!)
            if let code = injectedCode(handle.fault, .truncate) { return code }
            return handle.real.pointee.pMethods.pointee.xTruncate(handle.real, size)
        }
        methods.xSync = { file, flags in
            let handle = handle(file!)
            if let code = injectedCode(handle.fault, .sync) { return code }
            return handle.real.pointee.pMethods.pointee.xSync(handle.real, flags)
        }
        methods.xFileSize = { file, size in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xFileSize(real, size)
        }
        methods.xLock = { file, level in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xLock(real, level)
        }
        methods.xUnlock = { file, level in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xUnlock(real, level)
        }
        methods.xCheckReservedLock = { file, result in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xCheckReservedLock(real, result)
        }
        methods.xFileControl = { file, op, argument in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xFileControl(real, op, argument)
        }
        methods.xSectorSize = { file in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xSectorSize(real)
        }
        methods.xDeviceCharacteristics = { file in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xDeviceCharacteristics(real)
        }
        methods.xShmMap = { file, region, size, extend, pointer in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xShmMap(real, region, size, extend, pointer)
        }
        methods.xShmLock = { file, offset, count, flags in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xShmLock(real, offset, count, flags)
        }
        methods.xShmBarrier = { file in
            let real = handle(file!).real
            real.pointee.pMethods.pointee.xShmBarrier(real)
        }
        methods.xShmUnmap = { file, delete in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xShmUnmap(real, delete)
        }
        return methods
    }
}

/// The file operations a fault can hit.
enum FileOperation {
    case read, write, truncate, sync
}

/// The result code `fault` makes `operation` fail with (counted), or `nil` to let it through.
private func injectedCode(_ fault: FaultVFS.Fault?, _ operation: FileOperation) -> Int32? {
    let code: Int32?
    switch (fault, operation) {
    case (nil, _), (.diskFull?, .read), (.writeIOError?, .read): code = nil
    case (.diskFull?, .write), (.diskFull?, .sync): code = SQLITE_FULL
    case (_, .read): code = ResultCodes.ioerrRead
    case (_, .write): code = ResultCodes.ioerrWrite
    case (_, .truncate): code = ResultCodes.ioerrTruncate
    case (_, .sync): code = ResultCodes.ioerrFsync
    }
    if code != nil { FaultVFS.countInjection() }
    return code
}

/// Extended result codes (function-like macros Swift does not import).
enum ResultCodes {
    static let ioerrRead: Int32 = 10 | (1 << 8)
    static let ioerrWrite: Int32 = 10 | (3 << 8)
    static let ioerrFsync: Int32 = 10 | (4 << 8)
    static let ioerrTruncate: Int32 = 10 | (6 << 8)
}

/// The ``FaultFile`` behind a handle (not retained).
private func handle(_ file: UnsafeMutablePointer<sqlite3_file>) -> FaultFile {
    let slot = UnsafeMutableRawPointer(file) + 8
    return Unmanaged<FaultFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
}
