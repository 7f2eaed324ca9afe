/// What a role may do with the fields of one ``RapportModels/FieldClass``.
public struct FieldClassPermission: Hashable, Codable, Sendable {
    /// How much of the value may be read.
    public var read: FieldAccess
    /// Whether values of this class may be written.
    public var write: Bool

    /// Creates a field-class permission.
    public init(read: FieldAccess, write: Bool) {
        self.read = read
        self.write = write
    }

    /// Nothing: hidden and not writable.
    public static let none = FieldClassPermission(read: .hidden, write: false)

    /// The more generous of two permissions (used to combine roles).
    public func union(_ other: FieldClassPermission) -> FieldClassPermission {
        FieldClassPermission(read: max(read, other.read), write: write || other.write)
    }
}
