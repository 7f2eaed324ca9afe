import RapportModels

extension Role {
    /// Administrator: every customer, every action including export, sensitive fields on
    /// request, secret fields in clear. The only role that issues grants and changes roles.
    public static let admin = Role(
        id: .admin, name: "Administrator",
        permissions: PermissionSet(
            otherEntities: .all,
            ordinary: FieldClassPermission(read: .full, write: true),
            sensitive: FieldClassPermission(read: .revealOnRequest, write: true),
            secret: FieldClassPermission(read: .full, write: true)),
        scope: .organisation,
        quotas: QuotaLimits(distinctCustomersPerDay: 2_000, exportsPerDay: 5, sensitiveRevealsPerHour: 60))

    /// Manager: the customers of their team subtree (key customers only where they manage the
    /// account manager); read, create, update, delete; no bulk export.
    public static let manager = Role(
        id: .manager, name: "Manager",
        permissions: PermissionSet(
            otherEntities: [.read, .create, .update, .delete],
            ordinary: FieldClassPermission(read: .full, write: true),
            sensitive: FieldClassPermission(read: .revealOnRequest, write: true),
            secret: FieldClassPermission(read: .full, write: true)),
        scope: .team,
        quotas: QuotaLimits(distinctCustomersPerDay: 1_000, exportsPerDay: 0, sensitiveRevealsPerHour: 60))

    /// Sales rep: their own customers (key customers only as account manager); read, create,
    /// update; sensitive fields masked unless revealed one at a time; no secret fields; no export.
    public static let salesRep = Role(
        id: .salesRep, name: "Sales rep",
        permissions: PermissionSet(
            otherEntities: .edit,
            ordinary: FieldClassPermission(read: .full, write: true),
            sensitive: FieldClassPermission(read: .revealOnRequest, write: true),
            secret: .none),
        scope: .own,
        quotas: QuotaLimits(distinctCustomersPerDay: 200, exportsPerDay: 0, sensitiveRevealsPerHour: 30))

    /// Support agent: customers with an open complaint assigned to them; reads everything about
    /// them, writes complaints and interactions; no secret fields; no export.
    public static let supportAgent = Role(
        id: .supportAgent, name: "Support agent",
        permissions: PermissionSet(
            entities: [.complaint: .edit, .interaction: .edit],
            otherEntities: .read,
            ordinary: FieldClassPermission(read: .full, write: true),
            sensitive: FieldClassPermission(read: .revealOnRequest, write: false),
            secret: .none),
        scope: .assignedComplaints,
        quotas: QuotaLimits(distinctCustomersPerDay: 150, exportsPerDay: 0, sensitiveRevealsPerHour: 30))

    /// Auditor: every customer, read-only; sensitive fields masked (never revealed), no secret
    /// fields, no export.
    public static let auditor = Role(
        id: .auditor, name: "Auditor",
        permissions: PermissionSet(
            otherEntities: .read,
            ordinary: FieldClassPermission(read: .full, write: false),
            sensitive: FieldClassPermission(read: .masked, write: false),
            secret: .none),
        scope: .organisation,
        quotas: QuotaLimits(distinctCustomersPerDay: 500, exportsPerDay: 0, sensitiveRevealsPerHour: 0))

    /// The five built-in roles.
    public static let builtIns: [Role] = [.admin, .manager, .salesRep, .supportAgent, .auditor]
}
