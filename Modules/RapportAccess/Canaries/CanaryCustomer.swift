import Foundation

/// A planted fake customer, unique to one member of staff. It looks like a real customer, is
/// owned by that person (so it is in their scope and on their device), and exists nowhere else:
/// if its phone, e-mail or name turns up outside, ``CanaryTracer/trace(_:)`` names the person.
public struct CanaryCustomer: Hashable, Codable, Sendable {
    /// The member of staff it was made for.
    public var staffId: UUID
    /// Which of that person's canaries (0, 1, 2, …).
    public var index: Int
    /// The customer id to store it under.
    public var id: UUID
    /// A plausible Chinese personal name.
    public var name: String
    /// A plausible 11-digit mobile number starting with `1`.
    public var phone: String
    /// A plausible personal e-mail address.
    public var email: String

    /// Creates a canary record.
    public init(staffId: UUID, index: Int, id: UUID, name: String, phone: String, email: String) {
        self.staffId = staffId
        self.index = index
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
    }
}
