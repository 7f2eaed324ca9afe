import Foundation
import RapportModels

/// A record as the store keeps it: the entity's JSON document plus the columns it is indexed
/// by.
///
/// Build one from an entity with ``init(_:searchableFields:)``; the sync engine and bulk
/// loaders may also fill the fields directly.
public struct RecordDocument: Sendable, Hashable {
    /// The record's kind.
    public var kind: EntityKind
    /// The record id.
    public var id: UUID
    /// The owning staff member.
    public var ownerId: UUID?
    /// The team, for records that have one (customers).
    public var teamId: UUID?
    /// The customer, for customer-scoped records (contacts, interactions, orders, ...).
    public var customerId: UUID?
    /// The value tier (the override if set), for customers.
    public var tier: String?
    /// The display name, if the record has one.
    public var name: String?
    /// When the record last changed.
    public var updatedAt: Date
    /// Whether the record is deleted locally (a tombstone waiting to be synced).
    public var isDeleted: Bool
    /// The server version this local state is based on (0 before the first sync).
    public var version: Int64
    /// The entity encoded with `RapportJSON`.
    public var json: String
    /// Extra text for the full-text index (companies, contacts, notes, ...).
    public var searchText: String

    /// Creates a document from its parts.
    public init(
        kind: EntityKind, id: UUID, ownerId: UUID?, teamId: UUID? = nil, customerId: UUID? = nil,
        tier: String? = nil, name: String?, updatedAt: Date, isDeleted: Bool = false, version: Int64 = 0,
        json: String, searchText: String = ""
    ) {
        self.kind = kind
        self.id = id
        self.ownerId = ownerId
        self.teamId = teamId
        self.customerId = customerId
        self.tier = tier
        self.name = name
        self.updatedAt = updatedAt
        self.isDeleted = isDeleted
        self.version = version
        self.json = json
        self.searchText = searchText
    }

    /// Encodes `entity` and extracts its indexed columns and searchable text.
    ///
    /// - Throws: ``StoreError/Code/invalidRecord`` if the entity does not encode.
    public init<E: Entity>(_ entity: E, searchableFields: Set<String> = StoreConfiguration.defaultSearchableFields) throws {
        let map: [String: JSONValue]
        let data: Data
        do {
            data = try RapportJSON.encoder().encode(entity)
            map = try entity.fieldMap()
        } catch {
            throw StoreError(code: .invalidRecord, message: "the \(E.kind.rawValue) \(entity.id) could not be encoded; check it validates", cause: error)
        }
        self.init(
            kind: E.kind, id: entity.id, ownerId: entity.ownerId,
            teamId: map["teamId"]?.stringValue.flatMap(UUID.init(uuidString:)),
            customerId: map["customerId"]?.stringValue.flatMap(UUID.init(uuidString:)),
            tier: map["tierOverride"]?.stringValue ?? map["tier"]?.stringValue,
            name: map["name"]?.stringValue ?? map["fullName"]?.stringValue,
            updatedAt: entity.updatedAt, isDeleted: entity.deletedAt != nil, version: entity.version,
            json: String(decoding: data, as: UTF8.self),
            searchText: Self.searchText(of: map, fields: searchableFields))
    }

    /// Decodes the document as `E`.
    ///
    /// - Throws: ``StoreError/Code/invalidRecord`` if the kind differs or the JSON does not decode.
    public func decode<E: Entity>(as type: E.Type = E.self) throws -> E {
        guard kind == E.kind else {
            throw StoreError(code: .invalidRecord, message: "record \(id) is a \(kind.rawValue), not a \(E.kind.rawValue)")
        }
        do {
            return try RapportJSON.decode(E.self, from: Data(json.utf8))
        } catch {
            throw StoreError(code: .invalidRecord, message: "record \(id) does not decode as \(E.kind.rawValue); the app may be older than the data", cause: error)
        }
    }

    static func searchText(of map: [String: JSONValue], fields: Set<String>) -> String {
        var parts: [String] = []
        for (path, value) in map.sorted(by: { $0.key < $1.key }) where path != "name" {
            let field = path.split(separator: ".").last.map(String.init) ?? path
            guard fields.contains(field) else { continue }
            collectStrings(value, into: &parts)
        }
        return parts.joined(separator: " ")
    }

    private static func collectStrings(_ value: JSONValue, into parts: inout [String]) {
        if let string = value.stringValue {
            parts.append(string)
        } else if let array = value.arrayValue {
            for element in array { collectStrings(element, into: &parts) }
        } else if let object = value.objectValue {
            for key in object.keys.sorted() { collectStrings(object[key]!, into: &parts) }
        }
    }
}
