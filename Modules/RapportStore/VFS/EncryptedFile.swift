import CSQLite
// GRDB links the same libsqlite3 through its own shim; Clang merges the two definitions of the
// VFS structs and attributes their members to GRDBSQLite, so MemberImportVisibility needs it.
import GRDBSQLite
import Foundation

/// SQLite result codes that are C macros with expressions, which Swift does not import.
enum SQLiteCode {
    static let ok: Int32 = 0
    static let ioerr: Int32 = 10
    static let cantOpen: Int32 = 14
    static let ioerrRead: Int32 = 10 | (1 << 8)
    static let ioerrShortRead: Int32 = 10 | (2 << 8)
    static let ioerrWrite: Int32 = 10 | (3 << 8)
    static let ioerrData: Int32 = 10 | (32 << 8)
}

/// One open file of an encrypted store: the per-handle state behind the VFS's `sqlite3_file`.
///
/// SQLite never uses one `sqlite3_file` from two threads at once, so this class needs no lock;
/// it is reached only through the raw pointer SQLite hands to the I/O callbacks. Each handle
/// has its own page cipher (`ClientCrypto.PageCipher`, key schedule set once), its own nonce sequence and scratch
/// buffers, so the page path allocates nothing, takes no lock and looks nothing up.
///
/// Nonces: 4 random bytes fixed per handle, then a 64-bit big-endian counter that starts at a
/// random value and advances by one per sealed page (see `Docs/Store.md` for why this never
/// repeats a nonce under one key).
final class EncryptedFile {
    let role: FileRole
    let entry: VFSKeyEntry
    let real: UnsafeMutablePointer<sqlite3_file>
    private let cipher: ClientCrypto.PageCipher
    /// Masks WAL frame checksums (WAL handles only).
    private let maskCipher: ClientCrypto.PageCipher?
    private let pageSize = PageLayout.pageSize
    /// The wrapped file's methods, fetched once (no struct copy per call).
    private let realReadFunction: @convention(c) (UnsafeMutablePointer<sqlite3_file>?, UnsafeMutableRawPointer?, Int32, sqlite3_int64) -> Int32
    private let realWriteFunction: @convention(c) (UnsafeMutablePointer<sqlite3_file>?, UnsafeRawPointer?, Int32, sqlite3_int64) -> Int32
    private let realFileSizeFunction: @convention(c) (UnsafeMutablePointer<sqlite3_file>?, UnsafeMutablePointer<sqlite3_int64>?) -> Int32
    /// Ciphertext staging: one WAL frame (header + page).
    private let scratch: UnsafeMutableRawBufferPointer
    /// Plaintext staging for partial page reads.
    private let plain: UnsafeMutableRawBufferPointer
    /// Associated data: prefix, file id, role, page number, WAL frame offset.
    private let associated: UnsafeMutableRawBufferPointer
    /// The last WAL frame header written through this handle (unmasked), and its offset.
    private let walHeader: UnsafeMutableRawBufferPointer
    private var walHeaderOffset: Int64 = -1
    /// WAL checksum mask scratch: nonce (12), zeros (8), keystream (8), tag (16).
    private let maskScratch: UnsafeMutableRawBufferPointer
    /// The last 4-byte write to the journal (the page number before a page image).
    private var journalPageNumber: (offset: Int64, value: UInt32) = (-1, 0)
    /// The nonce's fixed random prefix (native order, stored as is) and its counter.
    private let noncePrefix: UInt32
    private var nonceCounter: UInt64
    /// What the handles of this database file share (main database handles only): the
    /// generation every write bumps. Set by `xOpen`; released when the handle goes.
    var mainFile: MainFileState?
    /// Decrypt-ahead for sequential reads (main database handles, when enabled).
    var readAhead: PageReadAhead?

    private static let fixedAssociatedCount = PageLayout.associatedDataPrefix.count + 16 + 1 + 4

    init(role: FileRole, entry: VFSKeyEntry, real: UnsafeMutablePointer<sqlite3_file>) throws {
        self.role = role
        self.entry = entry
        self.real = real
        self.cipher = try ClientCrypto.PageCipher(key: entry.pageKey)
        self.maskCipher = role == .wal ? try ClientCrypto.PageCipher(key: entry.walMaskKey) : nil
        if let methods = real.pointee.pMethods {
            realReadFunction = methods.pointee.xRead
            realWriteFunction = methods.pointee.xWrite
            realFileSizeFunction = methods.pointee.xFileSize
        } else {
            // A detached codec (header inspection): no file behind it.
            realReadFunction = { _, _, _, _ in SQLiteCode.ioerrRead }
            realWriteFunction = { _, _, _, _ in SQLiteCode.ioerrWrite }
            realFileSizeFunction = { _, _ in SQLiteCode.ioerr }
        }
        var seed: (UInt32, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &seed) { ClientCrypto.fillRandom($0) }
        noncePrefix = seed.0
        nonceCounter = seed.1
        scratch = .allocate(byteCount: PageLayout.pageSize + PageLayout.walFrameHeaderByteCount, alignment: 16)
        plain = .allocate(byteCount: PageLayout.pageSize, alignment: 16)
        associated = .allocate(byteCount: Self.fixedAssociatedCount + 8, alignment: 8)
        walHeader = .allocate(byteCount: PageLayout.walFrameHeaderByteCount, alignment: 8)
        maskScratch = .allocate(byteCount: 48, alignment: 8)
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        plain.initializeMemory(as: UInt8.self, repeating: 0)
        walHeader.initializeMemory(as: UInt8.self, repeating: 0)
        maskScratch.initializeMemory(as: UInt8.self, repeating: 0)
        var cursor = 0
        for byte in PageLayout.associatedDataPrefix {
            associated[cursor] = byte
            cursor += 1
        }
        for byte in entry.fileId {
            associated[cursor] = byte
            cursor += 1
        }
        associated[cursor] = role.rawValue
    }

    deinit {
        readAhead?.invalidate()
        mainFile?.release()
        // Plaintext may have passed through these buffers.
        plain.initializeMemory(as: UInt8.self, repeating: 0)
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        scratch.deallocate()
        plain.deallocate()
        associated.deallocate()
        walHeader.deallocate()
        maskScratch.deallocate()
    }

    // MARK: - Real file access

    @inline(__always)
    func realRead(_ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) -> Int32 {
        realReadFunction(real, buffer, Int32(count), offset)
    }

    @inline(__always)
    func realWrite(_ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64) -> Int32 {
        realWriteFunction(real, buffer, Int32(count), offset)
    }

    func realFileSize() -> Int64? {
        var size: sqlite3_int64 = 0
        return realFileSizeFunction(real, &size) == SQLiteCode.ok ? size : nil
    }

    // MARK: - Page codec

    @inline(__always)
    private func associatedData(page: UInt32, frameOffset: Int64?) -> UnsafeRawBufferPointer {
        let base = Self.fixedAssociatedCount - 4
        (associated.baseAddress! + base).storeBytes(of: page.bigEndian, as: UInt32.self)
        guard let frameOffset else {
            return UnsafeRawBufferPointer(rebasing: associated[0..<Self.fixedAssociatedCount])
        }
        // WAL frames also bind their position in the WAL. (Not the frame header's salts:
        // SQLite writes zero salts first when it will rewrite checksums at commit.)
        (associated.baseAddress! + Self.fixedAssociatedCount).storeBytes(of: UInt64(frameOffset).bigEndian, as: UInt64.self)
        return UnsafeRawBufferPointer(associated)
    }

    /// Writes the next nonce of this handle at `destination` (12 bytes).
    @inline(__always)
    private func nextNonce(into destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: noncePrefix, as: UInt32.self)
        (destination + 4).storeBytes(of: nonceCounter.bigEndian, as: UInt64.self)
        nonceCounter &+= 1
    }

    /// Encrypts the page image `source` (plaintext, `pageSize` bytes) into `destination`.
    func seal(_ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, page: UInt32, frameOffset: Int64?) -> Bool {
        let start = page == 1 ? PageLayout.clearPrefixByteCount : 0
        let usable = PageLayout.usableByteCount
        if page == 1 {
            entry.fileId.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: 16) }
        }
        Self.storeBigEndian(page, at: destination + PageLayout.pageNumberOffset)
        let nonce = destination + PageLayout.nonceOffset
        nextNonce(into: nonce)
        entry.countSealed()
        do {
            try cipher.seal(
                nonce: UnsafeRawBufferPointer(start: nonce, count: 12),
                associatedData: associatedData(page: page, frameOffset: frameOffset),
                plaintext: UnsafeRawBufferPointer(start: source + start, count: usable - start),
                ciphertext: UnsafeMutableRawBufferPointer(start: destination + start, count: usable - start),
                tag: UnsafeMutableRawBufferPointer(start: destination + PageLayout.tagOffset, count: 16))
            return true
        } catch {
            return false
        }
    }

    /// Decrypts the page image `source` into `destination` (distinct memory); on failure works
    /// out whether the page was altered or moved.
    func open(_ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, page: UInt32, frameOffset: Int64?) -> PageFailure? {
        if tryOpen(source, into: destination, page: page, frameOffset: frameOffset) {
            return nil
        }
        return diagnose(source, into: destination, page: page, frameOffset: frameOffset)
    }

    /// After a failed decryption: tells a moved page from an altered one, and zeroes `destination`.
    private func diagnose(_ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, page: UInt32, frameOffset: Int64?) -> PageFailure {
        let stored = Self.loadBigEndian(source + PageLayout.pageNumberOffset)
        if stored != page, stored != 0, tryOpen(source, into: destination, page: stored, frameOffset: frameOffset) {
            memset(destination, 0, pageSize)
            return .misplaced(role: role, page: page, foundPage: stored)
        }
        memset(destination, 0, pageSize)
        return .authentication(role: role, page: page)
    }

    /// Decrypts in place; `page` must be the ciphertext image as read from disk. On failure the
    /// page is zeroed and `reread` is asked for the ciphertext again to diagnose the failure.
    private func openInPlace(_ page: UnsafeMutableRawPointer, pageNumber: UInt32, frameOffset: Int64?, reread: () -> Bool) -> PageFailure? {
        if tryOpen(page, into: page, page: pageNumber, frameOffset: frameOffset) {
            return nil
        }
        guard reread() else {
            memset(page, 0, pageSize)
            return .authentication(role: role, page: pageNumber)
        }
        return diagnose(scratch.baseAddress!, into: page, page: pageNumber, frameOffset: frameOffset)
    }

    /// Decrypts a main-database page in place for the decrypt-ahead thread (counted apart);
    /// `false` leaves a page the reading thread must redo, and whose bytes must be zeroed.
    func openInPlaceAhead(_ page: UnsafeMutableRawPointer, page pageNumber: UInt32) -> Bool {
        tryOpen(page, into: page, page: pageNumber, frameOffset: nil, counted: false)
    }

    @inline(__always)
    private func tryOpen(
        _ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, page: UInt32, frameOffset: Int64?,
        counted: Bool = true
    ) -> Bool {
        let start = page == 1 ? PageLayout.clearPrefixByteCount : 0
        let usable = PageLayout.usableByteCount
        if counted { entry.countOpened() }
        do {
            try cipher.open(
                nonce: UnsafeRawBufferPointer(start: source + PageLayout.nonceOffset, count: 12),
                associatedData: associatedData(page: page, frameOffset: frameOffset),
                ciphertext: UnsafeRawBufferPointer(start: source + start, count: usable - start),
                tag: UnsafeRawBufferPointer(start: source + PageLayout.tagOffset, count: 16),
                plaintext: UnsafeMutableRawBufferPointer(start: destination + start, count: usable - start))
        } catch {
            return false
        }
        if page == 1 {
            PageLayout.sqliteMagic.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: 16) }
        }
        memset(destination + usable, 0, PageLayout.reservedByteCount)
        return true
    }

    @inline(__always)
    static func storeBigEndian(_ value: UInt32, at pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: value.bigEndian, as: UInt32.self)
    }

    @inline(__always)
    static func loadBigEndian(_ pointer: UnsafeRawPointer) -> UInt32 {
        UInt32(bigEndian: pointer.loadUnaligned(as: UInt32.self))
    }

    // MARK: - WAL checksum mask

    /// XORs the two checksum words of a WAL frame header (bytes 16..<24) with a keystream
    /// bound to the frame's index in the WAL and the header's salts (bytes 8..<16): the same
    /// call masks and unmasks. The keystream is AES-256-GCM under the WAL mask key (a key no
    /// page is sealed with) with nonce `frame index | salt-1 | salt-2`, over zeros.
    func toggleChecksumMask(_ header: UnsafeMutableRawPointer, frameHeaderOffset: Int64) {
        guard let maskCipher else { return }
        let frameSize = Int64(pageSize + PageLayout.walFrameHeaderByteCount)
        let index = UInt32(truncatingIfNeeded: (frameHeaderOffset - Int64(PageLayout.walHeaderByteCount)) / frameSize)
        let base = maskScratch.baseAddress!
        base.storeBytes(of: index.bigEndian, as: UInt32.self)
        (base + 4).copyMemory(from: header + 8, byteCount: 8)
        (base + 12).storeBytes(of: UInt64(0), as: UInt64.self)
        do {
            try maskCipher.seal(
                nonce: UnsafeRawBufferPointer(start: base, count: 12),
                associatedData: UnsafeRawBufferPointer(start: nil, count: 0),
                plaintext: UnsafeRawBufferPointer(start: base + 12, count: 8),
                ciphertext: UnsafeMutableRawBufferPointer(start: base + 20, count: 8),
                tag: UnsafeMutableRawBufferPointer(start: base + 28, count: 16))
        } catch {
            // Cannot happen with fixed sizes; an unmasked checksum then fails verification.
            return
        }
        let mask = (base + 20).loadUnaligned(as: UInt64.self)
        let value = (header + 16).loadUnaligned(as: UInt64.self)
        (header + 16).storeBytes(of: value ^ mask, as: UInt64.self)
    }

    // MARK: - Read

    /// `xRead`: returns plaintext to SQLite.
    func read(_ buffer: UnsafeMutableRawPointer, count: Int32, offset: Int64) -> Int32 {
        switch role {
        case .main: readMain(buffer, count: Int(count), offset: offset)
        case .wal: readWAL(buffer, count: Int(count), offset: offset)
        case .journal: readJournal(buffer, count: Int(count), offset: offset)
        }
    }

    private func readMain(_ buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) -> Int32 {
        let size = Int64(pageSize)
        if count == pageSize, offset % size == 0 {
            return readMainPage(into: buffer, page: UInt32(offset / size + 1))
        }
        // A partial read (SQLite reads the 100-byte header, or 16 bytes at 24): decrypt the
        // whole page and copy the part asked for. An empty file reads as zeros.
        if realFileSize() == 0 {
            memset(buffer, 0, count)
            return SQLiteCode.ioerrShortRead
        }
        var done = 0
        while done < count {
            let position = offset + Int64(done)
            let page = UInt32(position / size + 1)
            let within = Int(position % size)
            let length = min(pageSize - within, count - done)
            let rc = readMainPage(into: plain.baseAddress!, page: page)
            guard rc == SQLiteCode.ok else {
                memset(buffer, 0, count)
                return rc
            }
            (buffer + done).copyMemory(from: plain.baseAddress! + within, byteCount: length)
            done += length
        }
        return SQLiteCode.ok
    }

    private func readMainPage(into buffer: UnsafeMutableRawPointer, page: UInt32) -> Int32 {
        if let readAhead, readAhead.take(page: page, into: buffer) {
            return SQLiteCode.ok
        }
        let offset = Int64(page - 1) * Int64(pageSize)
        // Read straight into SQLite's buffer and decrypt in place: one copy less than staging.
        let rc = realRead(buffer, pageSize, offset)
        if rc == SQLiteCode.ioerrShortRead {
            memset(buffer, 0, pageSize)
            if realFileSize() == 0 { return rc }
            entry.record(.truncated(page: page))
            return SQLiteCode.ioerrRead
        }
        guard rc == SQLiteCode.ok else { return rc }
        let failure = openInPlace(buffer, pageNumber: page, frameOffset: nil) {
            realRead(scratch.baseAddress!, pageSize, offset) == SQLiteCode.ok
        }
        if let failure {
            entry.record(failure)
            return SQLiteCode.ioerrData
        }
        return SQLiteCode.ok
    }

    private func readWAL(_ buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) -> Int32 {
        let headerSize = Int64(PageLayout.walHeaderByteCount)
        let frameHeader = PageLayout.walFrameHeaderByteCount
        if offset + Int64(count) <= headerSize {
            return realRead(buffer, count, offset)
        }
        guard offset >= headerSize else { return refuse(offset: offset, count: count, write: false) }
        let frameSize = Int64(pageSize + frameHeader)
        let within = Int((offset - headerSize) % frameSize)
        if within == 0, count == pageSize + frameHeader {
            // A whole frame (WAL recovery, checksum rewrite). A frame that does not
            // authenticate may be torn by a crash: hand SQLite random bytes so its checksum
            // rejects the frame, exactly as it would reject a torn plaintext frame.
            let rc = realRead(buffer, count, offset)
            guard rc == SQLiteCode.ok else { return rc }
            toggleChecksumMask(buffer, frameHeaderOffset: offset)
            let data = buffer + frameHeader
            let page = Self.loadBigEndian(buffer)
            if !tryOpen(data, into: data, page: page, frameOffset: offset + Int64(frameHeader)) {
                ClientCrypto.fillRandom(UnsafeMutableRawBufferPointer(start: data, count: pageSize))
            }
            return SQLiteCode.ok
        }
        if within == frameHeader, count == pageSize {
            // A page read from a committed frame: header and page in one call.
            let rc = realRead(scratch.baseAddress!, pageSize + frameHeader, offset - Int64(frameHeader))
            guard rc == SQLiteCode.ok else {
                memset(buffer, 0, count)
                return rc == SQLiteCode.ioerrShortRead ? SQLiteCode.ioerrRead : rc
            }
            let page = Self.loadBigEndian(scratch.baseAddress!)
            if let failure = open(scratch.baseAddress! + frameHeader, into: buffer, page: page, frameOffset: offset) {
                entry.record(failure)
                return SQLiteCode.ioerrData
            }
            return SQLiteCode.ok
        }
        if within + count <= frameHeader {
            // Part of a frame header (SQLite reads the previous frame's checksums before
            // rewriting them): read the whole header, unmask, copy the part asked for.
            let headerOffset = offset - Int64(within)
            let header = scratch.baseAddress!
            let rc = realRead(header, frameHeader, headerOffset)
            guard rc == SQLiteCode.ok else {
                memset(buffer, 0, count)
                return rc
            }
            toggleChecksumMask(header, frameHeaderOffset: headerOffset)
            buffer.copyMemory(from: header + within, byteCount: count)
            return SQLiteCode.ok
        }
        return refuse(offset: offset, count: count, write: false)
    }

    private func readJournal(_ buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) -> Int32 {
        guard count == pageSize, offset % 8 == 4 else {
            return realRead(buffer, count, offset)
        }
        var pageBytes: UInt32 = 0
        let prefix = realRead(&pageBytes, 4, offset - 4)
        guard prefix == SQLiteCode.ok else { return prefix }
        let rc = realRead(scratch.baseAddress!, pageSize, offset)
        guard rc == SQLiteCode.ok else { return rc }
        if let failure = open(scratch.baseAddress!, into: buffer, page: UInt32(bigEndian: pageBytes), frameOffset: nil) {
            entry.record(failure)
            return SQLiteCode.ioerrData
        }
        return SQLiteCode.ok
    }

    // MARK: - Write

    /// `xWrite`: encrypts what SQLite writes.
    func write(_ buffer: UnsafeRawPointer, count: Int32, offset: Int64) -> Int32 {
        switch role {
        case .main: writeMain(buffer, count: Int(count), offset: offset)
        case .wal: writeWAL(buffer, count: Int(count), offset: offset)
        case .journal: writeJournal(buffer, count: Int(count), offset: offset)
        }
    }

    private func writeMain(_ buffer: UnsafeRawPointer, count: Int, offset: Int64) -> Int32 {
        let size = Int64(pageSize)
        guard offset % size == 0, count % pageSize == 0, count > 0 else {
            return refuse(offset: offset, count: count, write: true)
        }
        // Pages decrypted ahead by any handle of this file before the write are stale after it.
        mainFile?.bumpGeneration()
        defer { mainFile?.bumpGeneration() }
        var done = 0
        while done < count {
            let position = offset + Int64(done)
            let page = UInt32(position / size + 1)
            let rc = writePage(buffer + done, page: page, frameOffset: nil, at: position)
            guard rc == SQLiteCode.ok else { return rc }
            done += pageSize
        }
        return SQLiteCode.ok
    }

    private func writePage(_ source: UnsafeRawPointer, page: UInt32, frameOffset: Int64?, at offset: Int64) -> Int32 {
        guard checkReserve(source, page: page),
            seal(source, into: scratch.baseAddress!, page: page, frameOffset: frameOffset)
        else {
            return SQLiteCode.ioerrWrite
        }
        return realWrite(scratch.baseAddress!, pageSize, offset)
    }

    @inline(__always)
    private func checkReserve(_ source: UnsafeRawPointer, page: UInt32) -> Bool {
        guard page == 1 else { return true }
        let reserve = source.load(fromByteOffset: 20, as: UInt8.self)
        guard Int(reserve) == PageLayout.reservedByteCount else {
            entry.record(.reserveMissing(found: reserve))
            return false
        }
        return true
    }

    /// Writes a masked copy of the 24-byte frame header `header` at `offset`.
    private func writeFrameHeader(_ header: UnsafeRawPointer, at offset: Int64) -> Int32 {
        let staged = scratch.baseAddress!
        staged.copyMemory(from: header, byteCount: PageLayout.walFrameHeaderByteCount)
        toggleChecksumMask(staged, frameHeaderOffset: offset)
        return realWrite(staged, PageLayout.walFrameHeaderByteCount, offset)
    }

    private func writeWAL(_ buffer: UnsafeRawPointer, count: Int, offset: Int64) -> Int32 {
        let headerSize = Int64(PageLayout.walHeaderByteCount)
        let frameHeader = PageLayout.walFrameHeaderByteCount
        if offset + Int64(count) <= headerSize {
            return realWrite(buffer, count, offset)
        }
        guard offset >= headerSize else { return refuse(offset: offset, count: count, write: true) }
        let frameSize = Int64(pageSize + frameHeader)
        let within = Int((offset - headerSize) % frameSize)
        if within == 0, count == frameHeader {
            walHeader.copyMemory(from: UnsafeRawBufferPointer(start: buffer, count: frameHeader))
            walHeaderOffset = offset
            return writeFrameHeader(buffer, at: offset)
        }
        if within == 0, count == pageSize + frameHeader {
            // Header and page staged together: one write.
            walHeader.copyMemory(from: UnsafeRawBufferPointer(start: buffer, count: frameHeader))
            walHeaderOffset = offset
            let staged = scratch.baseAddress!
            let page = Self.loadBigEndian(buffer)
            guard checkReserve(buffer + frameHeader, page: page),
                seal(buffer + frameHeader, into: staged + frameHeader, page: page, frameOffset: offset + Int64(frameHeader))
            else { return SQLiteCode.ioerrWrite }
            staged.copyMemory(from: buffer, byteCount: frameHeader)
            toggleChecksumMask(staged, frameHeaderOffset: offset)
            return realWrite(staged, count, offset)
        }
        if within == frameHeader, count == pageSize {
            let headerOffset = offset - Int64(frameHeader)
            if walHeaderOffset != headerOffset {
                // An overwrite of a frame written earlier in the transaction: its header is on
                // disk (the page number is not masked).
                let rc = realRead(walHeader.baseAddress!, frameHeader, headerOffset)
                guard rc == SQLiteCode.ok else { return SQLiteCode.ioerrWrite }
                walHeaderOffset = headerOffset
            }
            let base = walHeader.baseAddress!
            return writePage(buffer, page: Self.loadBigEndian(base), frameOffset: offset, at: offset)
        }
        if within + count <= frameHeader {
            // Part of a header: read, unmask, patch, re-mask, write the whole header.
            let headerOffset = offset - Int64(within)
            let header = plain.baseAddress!
            if realRead(header, frameHeader, headerOffset) == SQLiteCode.ok {
                toggleChecksumMask(header, frameHeaderOffset: headerOffset)
            } else {
                memset(header, 0, frameHeader)
            }
            (header + within).copyMemory(from: buffer, byteCount: count)
            if walHeaderOffset == headerOffset {
                walHeaderOffset = -1
            }
            return writeFrameHeader(header, at: headerOffset)
        }
        return refuse(offset: offset, count: count, write: true)
    }

    private func writeJournal(_ buffer: UnsafeRawPointer, count: Int, offset: Int64) -> Int32 {
        if count == 4 {
            journalPageNumber = (offset, Self.loadBigEndian(buffer))
            return realWrite(buffer, count, offset)
        }
        guard count == pageSize, offset % 8 == 4 else {
            return realWrite(buffer, count, offset)
        }
        let page: UInt32
        if journalPageNumber.offset == offset - 4 {
            page = journalPageNumber.value
        } else {
            var pageBytes: UInt32 = 0
            guard realRead(&pageBytes, 4, offset - 4) == SQLiteCode.ok else { return SQLiteCode.ioerrWrite }
            page = UInt32(bigEndian: pageBytes)
        }
        return writePage(buffer, page: page, frameOffset: nil, at: offset)
    }

    private func refuse(offset: Int64, count: Int, write: Bool) -> Int32 {
        entry.record(.unsupportedAccess(role: role, offset: offset, count: Int32(count), write: write))
        return write ? SQLiteCode.ioerrWrite : SQLiteCode.ioerrRead
    }
}

extension EncryptedFile {
    /// Runs `body` with a codec that has no file behind it (page sealing, opening and WAL
    /// checksum masking only).
    static func withDetachedCodec<T>(role: FileRole, entry: VFSKeyEntry, _ body: (EncryptedFile) throws -> T) throws -> T {
        let dummy = UnsafeMutablePointer<sqlite3_file>.allocate(capacity: 1)
        dummy.initialize(to: sqlite3_file(pMethods: nil))
        defer { dummy.deallocate() }
        let codec = try EncryptedFile(role: role, entry: entry, real: dummy)
        return try body(codec)
    }

    /// Decrypts page 1 from raw file bytes and returns the database size in pages that its
    /// header records (when SQLite marks it valid), without opening SQLite.
    static func headerPageCount(pageOne: [UInt8], entry: VFSKeyEntry) -> UInt32? {
        var plain = [UInt8](repeating: 0, count: PageLayout.pageSize)
        defer { wipe(&plain) }
        let failure: PageFailure?? = try? withDetachedCodec(role: .main, entry: entry) { codec in
            pageOne.withUnsafeBytes { source in
                plain.withUnsafeMutableBytes { destination in
                    codec.open(source.baseAddress!, into: destination.baseAddress!, page: 1, frameOffset: nil)
                }
            }
        }
        guard let outcome = failure, outcome == nil, plain[24..<28] == plain[92..<96] else { return nil }
        return plain[28..<32].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
