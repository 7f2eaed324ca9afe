import Foundation
import Synchronization

/// What every VFS handle of one main database file in this process shares: a generation
/// counter that every write, truncation and file control through *any* handle bumps (before
/// and after), and a read-only descriptor the decrypt-ahead thread reads ciphertext through.
///
/// A page decrypted ahead remembers the generation read before its ciphertext was; it is
/// handed to SQLite only if the generation is still the same, so a page written in between
/// (a checkpoint by another connection, say) is never served stale.
///
/// Instances come from ``acquire(path:)`` and are shared by file identity (device + inode),
/// not by path. The descriptor is closed only when no handle of the file and no decrypt-ahead
/// buffer uses it any more: closing any descriptor of a file drops the process's POSIX locks on
/// it, so it must not happen while SQLite holds locks through another handle.
final class MainFileState: @unchecked Sendable {
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    let identity: Identity
    /// Read-only descriptor for the decrypt-ahead thread, or -1 if it could not be opened (then
    /// no page is decrypted ahead for this file).
    let descriptor: Int32
    private let generationCounter = Atomic<UInt64>(0)
    /// Handles and read-ahead buffers using this state; guarded by `registryLock`.
    private var users = 0

    private init(identity: Identity, descriptor: Int32) {
        self.identity = identity
        self.descriptor = descriptor
    }

    /// The current generation.
    @inline(__always)
    var generation: UInt64 { generationCounter.load(ordering: .sequentiallyConsistent) }

    /// Marks the file's content as changed (called before and after every change).
    @inline(__always)
    func bumpGeneration() {
        generationCounter.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    // MARK: - Registry

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var states: [Identity: MainFileState] = [:]

    /// The shared state of the file at `path` (just opened by SQLite), with one more user;
    /// `nil` if the file cannot be identified.
    static func acquire(path: UnsafePointer<CChar>) -> MainFileState? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        return registryLock.withLock {
            if let state = states[identity] {
                state.users += 1
                return state
            }
            var descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                var opened = stat()
                if fstat(descriptor, &opened) != 0 || UInt64(opened.st_dev) != identity.device
                    || UInt64(opened.st_ino) != identity.inode
                {
                    // Renamed between the two calls: no file of ours is open on the other
                    // inode, so closing this descriptor drops no lock SQLite holds.
                    close(descriptor)
                    descriptor = -1
                }
            }
            let state = MainFileState(identity: identity, descriptor: descriptor)
            state.users = 1
            states[identity] = state
            return state
        }
    }

    /// Adds a user to a state already acquired.
    func retainUse() {
        Self.registryLock.withLock { users += 1 }
    }

    /// Drops a user; the last one closes the descriptor and forgets the file.
    func release() {
        Self.registryLock.withLock {
            users -= 1
            guard users == 0 else { return }
            Self.states[identity] = nil
            if descriptor >= 0 { close(descriptor) }
        }
    }
}
