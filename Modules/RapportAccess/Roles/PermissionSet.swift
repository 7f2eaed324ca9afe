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
