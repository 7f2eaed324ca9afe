import CSQLite
import Foundation
// GRDB links the same libsqlite3 through its own shim; Clang merges the two definitions of the
// VFS structs and attributes their members to GRDBSQLite, so MemberImportVisibility needs it.
import GRDBSQLite
import Synchronization

/// Decrypt-ahead for one main-database handle: when SQLite reads pages in (roughly) ascending
/// order — a table scan over pages a bulk insert laid out in order — the process's
/// ``DecryptAheadThread`` reads and decrypts the next ``ahead`` pages into a small buffer on
/// another core, and SQLite's next reads take them from there instead of decrypting.
///
/// A scan starts when page N is read right after page N-1; it goes on while reads land in the
/// buffer or at most ``jump`` pages past the highest page read (the pages in between belong to
/// other B-trees), and ends after ``maximumStrays`` reads in a row that do neither (point
/// lookups do not keep it going). The reading thread never waits for the decrypt-ahead thread:
/// a page not ready yet (or the buffer's lock held by the thread) is read and decrypted as
/// without decrypt-ahead.
///
/// It is not a cache: a buffered page is handed out at most once and zeroed as soon as it is
/// taken or dropped, so it never gives the encrypted store more cache than plain SQLite; pages
/// SQLite keeps come from its own page cache as before. Safety rules:
///
/// * A buffered page is keyed by page number in this handle's buffer, and carries the file
///   generation (``MainFileState``) read *before* its ciphertext was; it is served only if the
///   generation is unchanged, so a write or truncation through any handle of the file in this
///   process (a checkpoint by another connection) makes it stale.
/// * Every lock change on the handle (`xLock`, `xUnlock`, `xShmLock`, i.e. the start or end of
///   a transaction) drops the buffer, so a page decrypted ahead is only served within the read
///   transaction it was read in — while SQLite's locks keep writers in other processes away
///   from the pages that transaction reads from the database file.
/// * A page that fails to decrypt in the background is not served: the reading thread reads and
///   decrypts it itself and reports the same typed failure as without decrypt-ahead.
final class PageReadAhead: @unchecked Sendable {
    /// Buffered pages: up to ``ahead`` pages after the highest page of the scan, and what is
    /// left of the pages before it (a table's leaves are only roughly in file order: a scan
    /// often steps back a few pages).
    static let depth = 64
    /// Pages asked for ahead of the highest page read so far.
    static let ahead = 40
    /// The window is topped up when fewer pages than this are left ahead, so one wake-up of
    /// the thread decrypts a batch of pages.
    static let refill = 20
    /// A read this far past the highest page still continues the scan (the pages in between
    /// belong to other tables and indexes).
    static let jump: UInt32 = 64

    private enum SlotState {
        case empty
        /// Asked for; the thread has not started it.
        case pending
        /// The thread is reading and decrypting into the slot's buffer.
        case inFlight
        /// Taken away while in flight: the thread zeroes the buffer when done.
        case cancelled
        case ready
        /// Did not read or authenticate in the background (the reader redoes it).
        case failed
    }

    private struct Slot {
        var page: UInt32 = 0
        var state = SlotState.empty
        var generation: UInt64 = 0
    }

    let file: MainFileState
    private let entry: VFSKeyEntry
    /// The reading thread fills the buffer itself (tests; see ``StoreConfiguration/DecryptAhead``).
    private let inline: Bool
    /// A codec with no file behind it, used only by the decrypt-ahead thread (one at a time).
    private let codec: EncryptedFile
    private let codecFile: UnsafeMutablePointer<sqlite3_file>
    private let pageSize = PageLayout.pageSize

    /// Set by ``invalidate()`` when it cannot take `lock` at once; whoever takes the lock next
    /// drops the buffer before doing anything else.
    private let dropRequested = Atomic<Bool>(false)
    // Guarded by `lock`.
    private let lock = NSLock()
    private var slots = [Slot](repeating: Slot(), count: PageReadAhead.depth)
    /// `depth` page buffers, allocated at the first sequential read.
    private var buffers: UnsafeMutableRawBufferPointer?
    /// The last page read (`UInt32.max` after a lock change: the next read starts nothing).
    private var lastRead = UInt32.max
    /// Whether a scan is under way, and the highest page it read.
    private var scanning = false
    private var high: UInt32 = 0
    /// Reads in a row that did not continue the scan; at ``maximumStrays`` it is over (random
    /// reads, such as point lookups, do not keep a window open).
    private var strays = 0
    private static let maximumStrays = 8
    /// The highest page asked for.
    private var windowEnd: UInt32 = 0
    /// Whether this buffer is in the thread's queue (or being served by it).
    private var queued = false

    init(file: MainFileState, entry: VFSKeyEntry, inline: Bool = false) throws {
        self.file = file
        self.entry = entry
        self.inline = inline
        codecFile = .allocate(capacity: 1)
        codecFile.initialize(to: sqlite3_file(pMethods: nil))
        do {
            codec = try EncryptedFile(role: .main, entry: entry, real: codecFile)
        } catch {
            codecFile.deallocate()
            throw error
        }
        file.retainUse()
    }

    deinit {
        if let buffers {
            buffers.initializeMemory(as: UInt8.self, repeating: 0)
            buffers.deallocate()
        }
        codecFile.deallocate()
        file.release()
    }

    @inline(__always)
    private func buffer(_ index: Int) -> UnsafeMutableRawPointer {
        buffers!.baseAddress! + index * pageSize
    }

    // MARK: - Reading thread

    /// Copies `page` into `destination` if it was decrypted ahead and is still current; notes
    /// the read and asks for the next pages if the reads are sequential. Returns `false` when
    /// the caller must read and decrypt the page itself.
    func take(page: UInt32, into destination: UnsafeMutableRawPointer) -> Bool {
        var hit = false
        var wake = false
        // Never wait for the (low-priority) decrypt-ahead thread: if it holds the lock, read
        // the page as without decrypt-ahead.
        guard lock.try() else { return false }
        if dropRequested.exchange(false, ordering: .sequentiallyConsistent) { dropLocked() }
        let index = Int(page % UInt32(Self.depth))
        var inWindow = false
        if slots[index].page == page {
            switch slots[index].state {
            case .ready:
                inWindow = true
                if slots[index].generation == file.generation {
                    destination.copyMemory(from: buffer(index), byteCount: pageSize)
                    hit = true
                }
                memset(buffer(index), 0, pageSize)
                slots[index].state = .empty
            case .pending, .failed:
                inWindow = true
                slots[index].state = .empty
            case .inFlight:
                inWindow = true
                slots[index].state = .cancelled
            case .empty, .cancelled:
                break
            }
        }
        let continues = inWindow || page == lastRead &+ 1 || (scanning && page > high && page - high <= Self.jump)
        if continues, page < UInt32.max - UInt32(Self.depth), file.descriptor >= 0 {
            scanning = true
            strays = 0
            high = max(high, page)
            wake = schedule()
        } else if scanning {
            strays += 1
            if strays >= Self.maximumStrays { scanning = false }
        }
        lastRead = page
        lock.unlock()
        if hit { entry.countReadAheadHit() }
        if wake {
            if inline {
                while fillNext() {}
            } else {
                DecryptAheadThread.shared.enqueue(self)
            }
        }
        return hit
    }

    /// Asks for the pages up to `high + ahead` when fewer than ``refill`` are left ahead of
    /// `high`, reusing the slots of the oldest pages. Returns whether the thread must be woken.
    /// Caller holds `lock`.
    private func schedule() -> Bool {
        if windowEnd >= high + UInt32(Self.refill) { return false }
        if buffers == nil {
            let allocated = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.depth * pageSize, alignment: 64)
            allocated.initializeMemory(as: UInt8.self, repeating: 0)
            buffers = allocated
        }
        let last = high + UInt32(Self.ahead)
        var next = max(windowEnd, high) + 1
        var added = false
        while next <= last {
            let index = Int(next % UInt32(Self.depth))
            switch slots[index].state {
            case .inFlight, .cancelled:
                // The thread owns this buffer; skip the page.
                break
            case .pending, .ready, .failed:
                if slots[index].page != next {
                    if slots[index].state == .ready { memset(buffer(index), 0, pageSize) }
                    slots[index] = Slot(page: next, state: .pending)
                    added = true
                }
            case .empty:
                slots[index] = Slot(page: next, state: .pending)
                added = true
            }
            next += 1
        }
        windowEnd = last
        guard added, !queued else { return false }
        queued = true
        return true
    }

    /// Drops every buffered page (zeroed); pages in flight are zeroed by the thread. Called on
    /// every lock change of the handle, and when it closes. Never waits: if the decrypt-ahead
    /// thread holds the lock, the drop is left to the next holder, before it looks at a slot.
    func invalidate() {
        guard lock.try() else {
            dropRequested.store(true, ordering: .sequentiallyConsistent)
            return
        }
        dropRequested.store(false, ordering: .sequentiallyConsistent)
        dropLocked()
        lock.unlock()
    }

    /// Caller holds `lock`.
    private func dropLocked() {
        lastRead = .max
        scanning = false
        strays = 0
        high = 0
        windowEnd = 0
        guard buffers != nil else { return }
        for index in 0..<Self.depth {
            switch slots[index].state {
            case .ready:
                memset(buffer(index), 0, pageSize)
                slots[index].state = .empty
            case .pending, .failed:
                slots[index].state = .empty
            case .inFlight:
                slots[index].state = .cancelled
            case .empty, .cancelled:
                break
            }
        }
    }

    // MARK: - Decrypt-ahead thread

    /// Reads and decrypts the lowest pending page. Returns `false` (and leaves the queue) when
    /// none is left.
    func fillNext() -> Bool {
        lock.lock()
        if dropRequested.exchange(false, ordering: .sequentiallyConsistent) { dropLocked() }
        var chosen = -1
        for index in 0..<Self.depth where slots[index].state == .pending {
            if chosen < 0 || slots[index].page < slots[chosen].page { chosen = index }
        }
        guard chosen >= 0 else {
            queued = false
            lock.unlock()
            return false
        }
        slots[chosen].state = .inFlight
        let page = slots[chosen].page
        let target = buffer(chosen)
        lock.unlock()

        // The generation before the ciphertext is read: a write that overlaps the read bumps it.
        let generation = file.generation
        let offset = off_t(page - 1) * off_t(pageSize)
        var done = 0
        while done < pageSize {
            let count = pread(file.descriptor, target + done, pageSize - done, offset + off_t(done))
            if count > 0 {
                done += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        let opened = done == pageSize && codec.openInPlaceAhead(target, page: page)
        if opened { entry.countDecryptedAhead() }

        lock.lock()
        if dropRequested.exchange(false, ordering: .sequentiallyConsistent) { dropLocked() }
        if slots[chosen].state == .inFlight, slots[chosen].page == page {
            if opened {
                slots[chosen].state = .ready
                slots[chosen].generation = generation
            } else {
                memset(target, 0, pageSize)
                slots[chosen].state = .failed
            }
        } else {
            memset(target, 0, pageSize)
            slots[chosen].state = .empty
        }
        lock.unlock()
        return true
    }
}
