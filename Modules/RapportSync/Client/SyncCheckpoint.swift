import Foundation

/// What the engine must remember between runs besides the store: the cursor of the last page
/// applied and when the last sync succeeded. Not secret (no record data).
public struct SyncCheckpoint: Sendable, Hashable, Codable {
    /// The cursor to pull from, or `nil` before the first sync and after a reset.
    public var cursor: String?
    /// When the last complete sync finished (Unix ms).
    public var lastSuccessMillis: Int64?

    /// Creates a checkpoint.
    public init(cursor: String? = nil, lastSuccessMillis: Int64? = nil) {
        self.cursor = cursor
        self.lastSuccessMillis = lastSuccessMillis
    }
}

/// Where the engine keeps its ``SyncCheckpoint``. Saving must be atomic (all or nothing).
public protocol SyncCheckpointStore: Sendable {
    /// The saved checkpoint, or an empty one.
    func load() throws -> SyncCheckpoint
    /// Saves atomically.
    func save(_ checkpoint: SyncCheckpoint) throws
    /// Deletes the checkpoint (on wipe).
    func remove() throws
}

/// A checkpoint in a small JSON file next to the store, replaced atomically (write, sync,
/// rename).
///
/// ```swift
/// let checkpoints = FileCheckpointStore(path: storePath + ".sync")
/// ```
public struct FileCheckpointStore: SyncCheckpointStore {
    /// The file's path.
    public let path: String

    /// A checkpoint file at `path`.
    public init(path: String) { self.path = path }

    /// Reads the file; a missing file is an empty checkpoint.
    public func load() throws -> SyncCheckpoint {
        guard let data = FileManager.default.contents(atPath: path) else { return SyncCheckpoint() }
        do {
            return try JSONDecoder().decode(SyncCheckpoint.self, from: data)
        } catch {
            throw SyncError(.store, "the sync checkpoint at \(path) is damaged; delete it to re-sync from scratch", cause: error)
        }
    }

    /// Writes a temporary file and renames it over the old one.
    public func save(_ checkpoint: SyncCheckpoint) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            try encoder.encode(checkpoint).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SyncError(.store, "could not save the sync checkpoint at \(path); check free space", cause: error)
        }
    }

    /// Deletes the file.
    public func remove() throws {
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
