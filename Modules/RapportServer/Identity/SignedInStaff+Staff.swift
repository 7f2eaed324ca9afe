import RapportAccess
import RapportProtocol

extension SignedInStaff {
    /// The summary of `staff` the login answer carries: roles sorted, role and status by their
    /// wire names.
    public init(_ staff: Staff) {
        self.init(
            id: staff.id, name: staff.name, teamId: staff.teamId, roles: staff.roles.sorted().map(\.rawValue),
            status: staff.status.rawValue)
    }
}
