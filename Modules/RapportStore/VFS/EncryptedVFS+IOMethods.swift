import CSQLite
// GRDB links the same libsqlite3 through its own shim; Clang merges the two definitions of the
// VFS structs and attributes their members to GRDBSQLite, so MemberImportVisibility needs it.
import GRDBSQLite

extension EncryptedVFS {
    /// The I/O method table shared by every handle: reads and writes go through
    /// ``EncryptedFile``; everything else (locks, sync, size, shared memory) is delegated to
    /// the wrapped `unix` file. Version 2: no `xFetch`, so SQLite never memory-maps ciphertext.
    static func makeIOMethods() -> sqlite3_io_methods {
        var methods = sqlite3_io_methods()
        methods.iVersion = 2
        methods.xClose = { file in
            guard let file else { return SQLITE_OK }
            let handle = takeHandle(file)
            // The handle (and its share of the file's decrypt-ahead descriptor) goes only after
            // the real file is closed and SQLite's locks on it released.
            return withExtendedLifetime(handle) {
                let real = handle.real
                let rc = real.pointee.pMethods.pointee.xClose(real)
                file.pointee.pMethods = nil
                return rc
            }
        }
        methods.xRead = { file, buffer, count, offset in
            handle(file!).read(buffer!, count: count, offset: offset)
        }
        methods.xWrite = { file, buffer, count, offset in
            handle(file!).write(buffer!, count: count, offset: offset)
        }
        methods.xTruncate = { file, size in
            let handle = handle(file!)
            let real = handle.real
            handle.mainFile?.bumpGeneration()
            defer { handle.mainFile?.bumpGeneration() }
            return real.pointee.pMethods.pointee.xTruncate(real, size)
        }
        methods.xSync = { file, flags in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xSync(real, flags)
        }
        methods.xFileSize = { file, size in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xFileSize(real, size)
        }
        methods.xLock = { file, level in
            let handle = handle(file!)
            // A transaction starts or ends: pages decrypted ahead belong to the one before.
            handle.readAhead?.invalidate()
            let real = handle.real
            return real.pointee.pMethods.pointee.xLock(real, level)
        }
        methods.xUnlock = { file, level in
            let handle = handle(file!)
            handle.readAhead?.invalidate()
            let real = handle.real
            return real.pointee.pMethods.pointee.xUnlock(real, level)
        }
        methods.xCheckReservedLock = { file, result in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xCheckReservedLock(real, result)
        }
        methods.xFileControl = { file, op, argument in
            let handle = handle(file!)
            let real = handle.real
            // Some file controls change the file (size hints extend it); count them as writes.
            handle.mainFile?.bumpGeneration()
            defer { handle.mainFile?.bumpGeneration() }
            return real.pointee.pMethods.pointee.xFileControl(real, op, argument)
        }
        methods.xSectorSize = { file in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xSectorSize(real)
        }
        methods.xDeviceCharacteristics = { file in
            let real = handle(file!).real
            // Power-safe overwrite keeps SQLite from padding or splitting WAL frames, so every
            // page image reaches us whole.
            return real.pointee.pMethods.pointee.xDeviceCharacteristics(real) | SQLITE_IOCAP_POWERSAFE_OVERWRITE
        }
        methods.xShmMap = { file, region, size, extend, pointer in
            let real = handle(file!).real
            return real.pointee.pMethods.pointee.xShmMap(real, region, size, extend, pointer)
        }
        methods.xShmLock = { file, offset, count, flags in
            let handle = handle(file!)
            // WAL read and write locks: a transaction starts or ends.
            handle.readAhead?.invalidate()
            let real = handle.real
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

/// The ``EncryptedFile`` behind a handle (not retained).
private func handle(_ file: UnsafeMutablePointer<sqlite3_file>) -> EncryptedFile {
    let slot = UnsafeMutableRawPointer(file) + 8
    return Unmanaged<EncryptedFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
}

/// Takes back the handle's retained ``EncryptedFile`` on close.
private func takeHandle(_ file: UnsafeMutablePointer<sqlite3_file>) -> EncryptedFile {
    let slot = UnsafeMutableRawPointer(file) + 8
    return Unmanaged<EncryptedFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeRetainedValue()
}
