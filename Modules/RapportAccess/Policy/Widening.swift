import Foundation

/// One way a change to the organisation gives someone more than before, beyond what the
/// organisation lets one administrator give alone (``WideningBounds``). A change with any
/// widening waits for a second administrator when
/// ``AccessSettings/requireSecondApprovalForWidening`` is on.
public struct Widening: Hashable, Codable, Sendable, CustomStringConvertible {
    /// What grows.
    public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
        /// The person gains the admin role.
        case admin
        /// The person reaches every customer (organisation scope or break-glass).
        case organisation
        /// The person reaches customers of people or teams outside their own team subtree, or of
        /// more people than ``WideningBounds/maxReachedStaff``.
        case reach
        /// The person gains grants beyond the bounds (segments, many customers).
        case grant
        /// A field class is read more openly than the built-in role for their scope allows.
        case fieldRead
        /// A field class becomes writable beyond the built-in role for their scope.
        case fieldWrite
        /// Actions (delete, export) beyond the built-in role for their scope.
        case action
        /// Bulk export, through a role or a grant.
        case export
        /// A quota above both its old value and the built-in role's limit for their scope.
        case quota
        /// An organisation setting that loosens separation of duties, quotas or detection.
        case setting
    }

    /// Whom the change widens; `nil` for settings that concern everyone.
    public var staffId: UUID?
    /// What grows.
    public var kind: Kind
    /// Before and after, for the approver: `sensitive read revealOnRequest → full`.
    public var detail: String

    /// Creates a widening.
    public init(staffId: UUID?, kind: Kind, detail: String) {
        self.staffId = staffId
        self.kind = kind
        self.detail = detail
    }

    /// `kind: detail` (with the person's id when there is one).
    public var description: String {
        staffId.map { "\(kind.rawValue) for \($0.uuidString): \(detail)" } ?? "\(kind.rawValue): \(detail)"
    }
}

/// How much one administrator may widen someone's access alone. Beyond these, and always for
/// admin rights, organisation-wide reach, export and loosened settings, a second administrator
/// approves. Field levels, actions and quotas are bounded by the built-in role matching the
/// person's scope (own → sales rep, team → manager, assigned complaints → support agent,
/// organisation → auditor; administrators → administrator), as written in code, so editing a
/// built-in role does not move the bound.
public struct WideningBounds: Hashable, Codable, Sendable {
    /// A person may newly reach people's customers inside their own team subtree without
    /// approval, as long as they reach at most this many people in all (50).
    public var maxReachedStaff: Int
    /// How many single-customer grants a person may hold before a further one needs approval (20).
    public var maxGrantedCustomers: Int

    /// Creates bounds; the defaults are documented in `Docs/Security.md`.
    public init(maxReachedStaff: Int = 50, maxGrantedCustomers: Int = 20) {
        self.maxReachedStaff = maxReachedStaff
        self.maxGrantedCustomers = maxGrantedCustomers
    }
}
