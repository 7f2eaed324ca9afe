import Foundation
import RapportModels
import RapportProtocol
import Testing

/// Full records leave their `null` fields out on the wire (`Docs/Protocol.md`, "Field maps"), and
/// the bytes of a W1-shaped record (the shared CRM workload: a 600-byte customer) stay bounded.
@Suite("Wire size of full records")
struct WireSizeTests {
    /// A customer shaped like W1's records: name, phone, e-mail, employer, tier, owner, team and
    /// 450 bytes of notes, created by an administrator, everything else absent.
    static func w1Customer() throws -> Customer {
        let words = "called re renewal asked for discount quote sent prefers email follow up next week "
        let notes = String(String(repeating: words, count: 6).prefix(450))
        return Customer(
            id: UUID(uuidString: "8A1C3E44-2B7F-4D0A-9E15-6F3B2C1D0E9A")!, kind: .individual, name: "Nadia Petrov",
            sourceChannel: .website, ownerId: UUID(uuidString: "A0000000-0000-4000-8000-000000000011")!,
            teamId: UUID(uuidString: "B0000000-0000-4000-8000-000000000001")!, tierOverride: .key, notes: notes,
            createdAt: Date(timeIntervalSince1970: 1_772_358_600.25), version: 1,
            createdBy: UUID(uuidString: "A0000000-0000-4000-8000-00000000000A")!,
            updatedBy: UUID(uuidString: "A0000000-0000-4000-8000-00000000000A")!,
            individual: IndividualProfile(
                phones: ["+12025550143"], emails: ["nadia.petrov.17@meridian.example"], employer: "Meridian Bank"))
    }

    static func fullChange(_ customer: Customer) throws -> RecordChange {
        RecordChange(entity: .customer, recordId: customer.id, version: 1, kind: .full, fields: try customer.fieldMap())
    }

    @Test("a W1-shaped full record encodes in at most 1,300 bytes; with every null listed it took over 1,700")
    func w1RecordBound() throws {
        let change = try Self.fullChange(try Self.w1Customer())
        let bytes = try SyncWire.encode(change).count
        // The form before issue 16 (every null listed), encoded by hand for the comparison.
        let listed = try RapportJSON.encoder().encode(change.fields).count
        let compact = try RapportJSON.encoder().encode(FullRecordFields.compacted(.customer, change.fields)).count
        #expect(bytes <= 1_300, "a W1 record took \(bytes) bytes on the wire")
        #expect(listed - compact >= 400, "leaving nulls out saved only \(listed - compact) bytes")
        #expect(!String(decoding: try SyncWire.encode(change), as: UTF8.self).contains("null"))
    }

    @Test("a full record without its nulls decodes to the same entity as with them")
    func compactDecodesTheSame() throws {
        let customer = try Self.w1Customer()
        let change = try Self.fullChange(customer)
        let decoded = try SyncWire.decode(RecordChange.self, from: try SyncWire.encode(change))
        #expect(decoded.fields.values.allSatisfy { !$0.isNull })
        let fromCompact = try EntityFields.entity(.customer, from: decoded.fields)
        let fromListed = try EntityFields.entity(.customer, from: change.fields)
        #expect(try fromCompact.fieldMap() == fromListed.fieldMap())
        #expect(try fromCompact.fieldMap() == customer.fieldMap())
    }

    @Test("partial changes keep null: it says the field was cleared")
    func partialKeepsNull() throws {
        let change = RecordChange(
            entity: .customer, recordId: UUID(), version: 4, kind: .partial, fields: ["notes": .null, "version": .int(4)])
        let decoded = try SyncWire.decode(RecordChange.self, from: try SyncWire.encode(change))
        #expect(decoded.fields["notes"] == .null)
        #expect(decoded == change)
    }

    @Test("push result records leave nulls out too; a tombstone stays empty")
    func syncRecordCompact() throws {
        let customer = try Self.w1Customer()
        let record = SyncRecord(entity: .customer, id: customer.id, version: 1, fields: try customer.fieldMap())
        let decoded = try SyncWire.decode(SyncRecord.self, from: try SyncWire.encode(record))
        #expect(decoded.fields == record.fields.filter { !$0.value.isNull })
        let tombstone = SyncRecord(entity: .customer, id: customer.id, version: 2, deleted: true, fields: [:])
        #expect(try SyncWire.decode(SyncRecord.self, from: try SyncWire.encode(tombstone)) == tombstone)
    }

    @Test("a profile group whose every field is null keeps one path, so the group stays present")
    func allNullGroupKeepsPresence() {
        let fields: FieldMap = ["name": "X", "notes": .null, "individual.gender": .null, "individual.school": .null]
        let compact = FullRecordFields.compacted(.customer, fields)
        #expect(compact["notes"] == nil)
        #expect(compact.keys.filter { $0.hasPrefix("individual.") }.count == 1)
        #expect(FullRecordFields.compacted(.customer, ["name": "X", "individual.school": "Fudan", "individual.gender": .null])
            == ["name": "X", "individual.school": "Fudan"])
    }
}
