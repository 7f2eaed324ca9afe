import RapportModels

/// What a role may do: actions per entity kind, and read/write access per field class.
///
/// Kinds not listed in ``entities`` get ``otherEntities``. Permission sets combine by union
/// when a person holds several roles.
public struct PermissionSet: Hashable, Codable, Sendable {
    /// Actions per entity kind.
    public var entities: [EntityKind: EntityActions]
    /// Actions on every kind not listed in ``entities``.
    public var otherEntities: EntityActions
    /// Access to ordinary fields.
    public var ordinary: FieldClassPermission
    /// Access to sensitive fields (phones, e-mails, addresses, ID numbers, family, notes, …).
    public var sensitive: FieldClassPermission
    /// Access to secret fields (credit limits, profit, credit ratings).
    public var secret: FieldClassPermission

    /// Creates a permission set.
    public init(
        entities: [EntityKind: EntityActions] = [:], otherEntities: EntityActions = .none,
        ordinary: FieldClassPermission = .none, sensitive: FieldClassPermission = .none,
        secret: FieldClassPermission = .none
    ) {
        self.entities = entities
        self.otherEntities = otherEntities
        self.ordinary = ordinary
        self.sensitive = sensitive
        self.secret = secret
    }

    /// No permission at all.
    public static let none = PermissionSet()

    /// The actions allowed on records of `kind`.
    @inlinable
    public func actions(on kind: EntityKind) -> EntityActions {
        entities[kind] ?? otherEntities
    }

    /// The access to fields of `fieldClass`.
    @inlinable
    public func fields(_ fieldClass: FieldClass) -> FieldClassPermission {
        switch fieldClass {
        case .ordinary: ordinary
        case .sensitive: sensitive
        case .secret: secret
        }
    }

    /// Everything either set allows.
    public func union(_ other: PermissionSet) -> PermissionSet {
        var merged: [EntityKind: EntityActions] = [:]
        for kind in Set(entities.keys).union(other.entities.keys) {
            merged[kind] = actions(on: kind).union(other.actions(on: kind))
        }
        return PermissionSet(
            entities: merged, otherEntities: otherEntities.union(other.otherEntities),
            ordinary: ordinary.union(other.ordinary), sensitive: sensitive.union(other.sensitive),
            secret: secret.union(other.secret))
    }

    /// The same set with every kind spelled out in ``entities`` (for fast lookup and display).
    func expanded() -> PermissionSet {
        var copy = self
        for kind in EntityKind.allCases where copy.entities[kind] == nil {
            copy.entities[kind] = otherEntities
        }
        return copy
    }
}

extension PermissionSet {
    private enum CodingKeys: String, CodingKey {
        case entities, otherEntities, ordinary, sensitive, secret
    }

    /// Decodes ``entities`` as an object keyed by entity kind (`{"customer": 5}`), the form the
    /// admin API documents, or as the alternating `["customer", 5, …]` array that Swift's default
    /// coding of an enum-keyed dictionary wrote before (roles stored by earlier releases).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let object = try? container.decode([String: EntityActions].self, forKey: .entities) {
            var entities: [EntityKind: EntityActions] = [:]
            for (name, actions) in object {
                guard let kind = EntityKind(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .entities, in: container,
                        debugDescription:
                            "unknown entity kind '\(name)'; use one of \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                entities[kind] = actions
            }
            self.entities = entities
        } else {
            entities = try container.decode([EntityKind: EntityActions].self, forKey: .entities)
        }
        otherEntities = try container.decode(EntityActions.self, forKey: .otherEntities)
        ordinary = try container.decode(FieldClassPermission.self, forKey: .ordinary)
        sensitive = try container.decode(FieldClassPermission.self, forKey: .sensitive)
        secret = try container.decode(FieldClassPermission.self, forKey: .secret)
    }

    /// Encodes ``entities`` as an object keyed by entity kind.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            Dictionary(uniqueKeysWithValues: entities.map { ($0.key.rawValue, $0.value) }), forKey: .entities)
        try container.encode(otherEntities, forKey: .otherEntities)
        try container.encode(ordinary, forKey: .ordinary)
        try container.encode(sensitive, forKey: .sensitive)
        try container.encode(secret, forKey: .secret)
    }
}
