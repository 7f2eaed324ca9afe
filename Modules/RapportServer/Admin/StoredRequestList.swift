import Foundation
import RapportModels

/// Requests that wait for a second administrator (held changes, customer exports), kept as one
/// JSON list in a server setting, newest first: every pending one, and the newest
/// ``keptDecided`` decided ones for reference. Callers serialise read-modify-write turns
/// (``AdminHooks/changeTurns``) and run inside the admin API's write unit.
struct StoredRequestList<Item: Codable & Sendable> {
    /// The setting's key.
    let key: String
    let storage: any ServerStorage
    /// Whether an item still waits (never dropped).
    let isPending: (Item) -> Bool
    /// An item's id (saving replaces the item with the same id).
    let id: (Item) -> UUID
    /// Decided items kept.
    var keptDecided = 500

    /// Every item, newest first.
    func all() async throws -> [Item] {
        guard let text = try await storage.setting(key) else { return [] }
        return try RapportJSON.decoder().decode([Item].self, from: Data(text.utf8))
    }

    /// Stores `item` first in the list, replacing the one with its id, and drops decided ones
    /// beyond ``keptDecided``.
    func save(_ item: Item) async throws {
        var list = try await all().filter { id($0) != id(item) }
        list.insert(item, at: 0)
        let decided = list.enumerated().filter { !isPending($0.element) }.map(\.offset)
        let dropped = Set(decided.dropFirst(keptDecided))
        list = list.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        try await storage.setSetting(key, String(decoding: try RapportJSON.encoder().encode(list), as: UTF8.self))
    }
}
