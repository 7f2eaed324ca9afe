import Foundation
import RapportModels

extension AccessPolicy {
    /// How much of fields of `fieldClass` `principal` may read at `now`.
    ///
    /// The roles decide; a person on notice is capped at ``FieldAccess/masked`` for sensitive
    /// fields and ``FieldAccess/hidden`` for secret ones (no unmasking); suspended, departed or
    /// unknown people and unusable devices get ``FieldAccess/hidden``.
    public func fieldAccess(_ principal: Principal, _ fieldClass: FieldClass, now: Date) -> FieldAccess {
        guard let profile = profiles[principal.staffId], profile.gate(deviceId: principal.deviceId) == nil else {
            return .hidden
        }
        let access = profile.permissions.fields(fieldClass).read
        guard profile.staff.status == .notice else { return access }
        switch fieldClass {
        case .ordinary: return access
        case .sensitive: return min(access, .masked)
        case .secret: return .hidden
        }
    }

    /// The fields of one record as `principal` may receive them.
    ///
    /// `fieldMap` is the record's ``RapportModels/Entity`` field map (dotted paths). Each field's
    /// class and mask style come from ``RapportModels/FieldRegistry`` (custom fields through the
    /// organisation's definitions); paths the registry does not know are treated as sensitive and
    /// withheld (fail closed). `revealing`
    /// names fields the principal asked to see in clear: honoured only where their access is
    /// ``FieldAccess/revealOnRequest`` or better, and listed in ``MaskedRecord/revealedPaths`` so
    /// the caller audits each reveal and counts it in the ``QuotaLedger`` *before* sending.
    ///
    /// Check that the principal may read the record (``canRead(_:customer:now:)``) first.
    public func mask(
        _ fieldMap: [String: JSONValue], kind: EntityKind, for principal: Principal, revealing: Set<String> = [],
        now: Date
    ) -> MaskedRecord {
        var access: [FieldClass: FieldAccess] = [:]
        for fieldClass in FieldClass.allCases { access[fieldClass] = fieldAccess(principal, fieldClass, now: now) }
        var fields: [String: JSONValue] = [:]
        var masked: [String] = []
        var revealed: [String] = []
        for (path, value) in fieldMap {
            let descriptor = self.descriptor(kind, path)
            let fieldClass = descriptor?.fieldClass ?? .sensitive
            let style = descriptor?.maskStyle ?? .withhold
            switch access[fieldClass] ?? .hidden {
            case .full:
                fields[path] = value
            case .revealOnRequest where revealing.contains(path):
                fields[path] = value
                revealed.append(path)
            case .revealOnRequest, .masked:
                fields[path] = ValueMasker.mask(value, style: style, fieldClass: fieldClass)
                masked.append(path)
            case .hidden:
                continue
            }
        }
        return MaskedRecord(kind: kind, fields: fields, maskedPaths: masked.sorted(), revealedPaths: revealed.sorted())
    }

    /// One field value as `principal` may see it, for conflict reports, error details and logs;
    /// `nil` means leave the field out entirely.
    public func redact(_ value: JSONValue, kind: EntityKind, path: String, for principal: Principal, now: Date)
        -> JSONValue?
    {
        mask([path: value], kind: kind, for: principal, now: now).fields[path]
    }

    /// Whether `principal` may see the sensitive field `path` of a record of `kind` belonging to
    /// `customer` in clear, on request. The caller then records a
    /// ``QuotaEvent/sensitiveReveal`` in the person's ``QuotaLedger`` and an audit entry.
    public func canReveal(
        _ principal: Principal, _ kind: EntityKind, path: String, of customer: CustomerAccessFacts, now: Date
    ) -> Decision {
        let read = canRead(principal, kind, of: customer, now: now)
        guard read.isAllowed else { return read }
        if staff(principal.staffId)?.status == .notice { return .deny(.noticePeriod) }
        let fieldClass = descriptor(kind, path)?.fieldClass ?? .sensitive
        return fieldAccess(principal, fieldClass, now: now) >= .revealOnRequest
            ? .allow(.permitted) : .deny(.roleLacksPermission)
    }
}
