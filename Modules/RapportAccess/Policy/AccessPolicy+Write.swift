import Foundation
import RapportModels

extension AccessPolicy {
    /// Whether `principal` may apply `action` to a record of `kind` belonging to `customer`
    /// (for a customer, the record itself), changing `fields` (dotted registry paths).
    ///
    /// Refused while on notice (read-only), when the role lacks the action, when the record is
    /// outside scope (reached through a grant, the grant must include `.write`), and per field
    /// when the role may not write the field's class or the field is unknown.
    public func canWrite(
        _ principal: Principal, _ kind: EntityKind, action: WriteAction, of customer: CustomerAccessFacts,
        fields: some Sequence<String>, now: Date
    ) -> WriteAuthorization {
        guard let profile = profiles[principal.staffId] else {
            return WriteAuthorization(record: .deny(.unknownPrincipal))
        }
        if let denied = profile.gate(deviceId: principal.deviceId) { return WriteAuthorization(record: denied) }
        if profile.staff.status == .notice { return WriteAuthorization(record: .deny(.noticePeriod)) }
        guard profile.permissions.actions(on: kind).contains(action.entityAction) else {
            return WriteAuthorization(record: .deny(.roleLacksPermission))
        }
        let scope = profile.visibility(customer, needed: [.read, .write], now: now)
        guard scope.isAllowed else { return WriteAuthorization(record: scope) }
        var refused: [String: DecisionReason] = [:]
        for path in fields {
            guard let fieldClass = descriptor(kind, path)?.fieldClass else {
                refused[path] = .unknownField
                continue
            }
            if !profile.permissions.fields(fieldClass).write { refused[path] = .fieldClassNotWritable }
        }
        return WriteAuthorization(record: scope, refusedFields: refused)
    }

    /// Whether `principal` may export a record of `kind` belonging to `customer`: never on
    /// notice; the record must be readable, and either a role allows `export` on `kind` or an
    /// unexpired grant with `.export` covers the customer. Count exports in a ``QuotaLedger``.
    public func canExport(_ principal: Principal, _ kind: EntityKind, of customer: CustomerAccessFacts, now: Date)
        -> Decision
    {
        guard let profile = profiles[principal.staffId] else { return .deny(.unknownPrincipal) }
        if let denied = profile.gate(deviceId: principal.deviceId) { return denied }
        if profile.staff.status == .notice { return .deny(.noticePeriod) }
        guard profile.customerActions.contains(.read), profile.permissions.actions(on: kind).contains(.read) else {
            return .deny(.roleLacksPermission)
        }
        let scope = profile.visibility(customer, now: now)
        guard scope.isAllowed else { return scope }
        if profile.permissions.actions(on: kind).contains(.export) { return .allow(.permitted) }
        if let granted = profile.grantDecision(customer, needed: [.read, .export], now: now) { return granted }
        return .deny(.roleLacksPermission)
    }

    /// The registry's descriptor for `path`, resolving custom fields through the organisation's
    /// definitions (an undefined custom field is sensitive); `nil` for an unknown path.
    func descriptor(_ kind: EntityKind, _ path: String) -> FieldDescriptor? {
        organisation.customFieldDefinitions.isEmpty
            ? FieldRegistry.descriptor(kind, path)
            : FieldRegistry.descriptor(kind, path, definitions: organisation.customFieldDefinitions)
    }
}
