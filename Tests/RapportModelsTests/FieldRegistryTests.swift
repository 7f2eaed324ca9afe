import Foundation
import RapportModels
import Testing

@Suite("Field registry")
struct FieldRegistryTests {
    /// Every stored property of a full sample (and of its profile) is set, so its encoding
    /// shows every Codable key. If this fails, someone added a field: set it in `Samples`.
    @Test(arguments: Samples.all.indices)
    func samplesSetEveryStoredProperty(index: Int) throws {
        let record = Samples.all[index]
        let json = try RapportJSON.decoder().decode(
            JSONValue.self, from: RapportJSON.encoder().encode(record))
        let object = try #require(json.objectValue)
        let mirror = Mirror(reflecting: record)
        let unset = mirror.children.filter { child in
            let value = Mirror(reflecting: child.value)
            return value.displayStyle == .optional && value.children.isEmpty
        }
        // A customer leaves exactly one profile unset.
        let allowed = record is Customer ? 1 : 0
        #expect(unset.count == allowed, "unset: \(unset.map { $0.label ?? "?" })")
        #expect(object.count == mirror.children.count - allowed)
        for child in mirror.children {
            guard let profile = Mirror(reflecting: child.value).children.first?.value,
                profile is IndividualProfile || profile is EnterpriseProfile
            else { continue }
            let profileMirror = Mirror(reflecting: profile)
            let members = try #require(object[child.label ?? ""]?.objectValue)
            #expect(members.count == profileMirror.children.count, "\(child.label ?? "")")
        }
    }

    /// Every encoded key of every entity is registered, and every registered path is encoded
    /// by some sample — so no field can be added without being classified.
    @Test(arguments: EntityKind.allCases)
    func everyCodableKeyIsRegisteredAndViceVersa(kind: EntityKind) throws {
        let samples = Samples.all.filter { type(of: $0).kind == kind }
        var encoded = Set<String>()
        for sample in samples {
            let fields = try sample.fieldMap()  // throws for an unregistered key
            #expect(!fields.values.contains(.null), "a full sample has a null field")
            encoded.formUnion(fields.keys.filter { FieldRegistry.customFieldKey(of: $0) == nil })
        }
        let registered = FieldRegistry.fields(of: kind).map(\.path)
        #expect(Set(registered).count == registered.count, "duplicate paths")
        #expect(encoded == Set(registered))
    }

    @Test(arguments: EntityKind.allCases)
    func recordFieldsAreDeclaredAndStampedByTheServer(kind: EntityKind) throws {
        let id = try #require(FieldRegistry.descriptor(kind, "id"))
        #expect(id.mergePolicy == .immutable)
        for path in ["createdAt", "updatedAt", "deletedAt", "version", "createdBy", "updatedBy"] {
            #expect(FieldRegistry.descriptor(kind, path)?.mergePolicy == .serverOnly, "\(path)")
        }
        #expect(FieldRegistry.descriptor(kind, "ownerId") != nil)
        if kind != .customer {
            #expect(FieldRegistry.descriptor(kind, "customerId") != nil)
        }
    }

    @Test func classesFollowTheDesign() {
        func descriptor(_ kind: EntityKind, _ path: String) -> FieldDescriptor? {
            FieldRegistry.descriptor(kind, path)
        }
        #expect(descriptor(.customer, "creditLimit")?.fieldClass == .secret)
        #expect(descriptor(.customer, "enterprise.creditRating")?.fieldClass == .secret)
        #expect(descriptor(.order, "grossProfit")?.fieldClass == .secret)
        for path in [
            "individual.phones", "individual.emails", "individual.address", "individual.idNumber",
            "individual.maritalStatus", "individual.childrenCount", "individual.personalityTraits",
            "individual.relationships", "enterprise.legalRepresentative", "notes",
        ] {
            #expect(descriptor(.customer, path)?.fieldClass == .sensitive, "\(path)")
        }
        #expect(descriptor(.interaction, "summary")?.fieldClass == .sensitive)
        #expect(descriptor(.contact, "phones")?.maskStyle == .phone)
        #expect(descriptor(.contact, "emails")?.maskStyle == .email)
        #expect(descriptor(.customer, "name")?.fieldClass == .ordinary)
        #expect(descriptor(.customer, "tags")?.mergePolicy == .setUnion)
        #expect(descriptor(.customer, "loyaltyPoints")?.mergePolicy == .counter)
        #expect(descriptor(.customer, "tier")?.mergePolicy == .serverOnly)
        let receivable = FieldRegistry.fields(of: .receivable).filter { $0.path != "id" }
        #expect(receivable.allSatisfy { $0.mergePolicy == .serverOnly })
        #expect(
            FieldRegistry.fields(of: .pointsTransaction).filter { $0.mergePolicy == .lastWriterWins }.map(\.path) == [
                "ownerId"
            ])
    }

    @Test func everySensitiveOrSecretPhoneOrEmailIsMaskedByStyle() {
        for kind in EntityKind.allCases {
            for field in FieldRegistry.fields(of: kind) {
                let name = field.path.lowercased()
                if name.hasSuffix("phone") || name.hasSuffix("phones") {
                    #expect(field.maskStyle == .phone && field.fieldClass >= .sensitive, "\(kind).\(field.path)")
                }
                if name.hasSuffix("emails") {
                    #expect(field.maskStyle == .email && field.fieldClass >= .sensitive, "\(kind).\(field.path)")
                }
            }
        }
    }

    @Test func fieldClassesAreOrdered() {
        #expect(FieldClass.ordinary < .sensitive)
        #expect(FieldClass.sensitive < .secret)
        #expect([FieldClass.secret, .ordinary, .sensitive].max() == .secret)
    }

    @Test func customFieldsAreClassifiedByTheirDefinition() throws {
        let salary = CustomFieldDefinition(
            entity: .customer, key: "salary", labelZh: "薪资", labelEn: "Salary", type: .number,
            fieldClass: .secret)
        let regions = CustomFieldDefinition(
            entity: .customer, key: "regions", labelZh: "区域", labelEn: "Regions", type: .multiChoice,
            options: [.init(key: "east", labelZh: "华东", labelEn: "East")])
        let defined = try #require(
            FieldRegistry.descriptor(.customer, "customFields.salary", definitions: [salary, regions]))
        #expect(defined.fieldClass == .secret)
        #expect(defined.valueType == .number)
        #expect(defined.isCustomField)
        #expect(
            FieldRegistry.descriptor(.customer, "customFields.regions", definitions: [regions])?.mergePolicy
                == .setUnion)
        // Same key on another entity does not apply.
        #expect(
            FieldRegistry.descriptor(.order, "customFields.salary", definitions: [salary])?.fieldClass == .sensitive)
        // Unknown custom keys are treated as sensitive until defined.
        let unknown = try #require(FieldRegistry.descriptor(.customer, "customFields.anything"))
        #expect(unknown.fieldClass == .sensitive)
        #expect(FieldRegistry.descriptor(.customer, "nonsense") == nil)
        #expect(FieldRegistry.descriptor(.customer, "customFields.") == nil)
    }

    @Test func groupsAreTheCustomerProfiles() {
        #expect(FieldRegistry.groups(of: .customer) == ["enterprise", "individual"])
        #expect(FieldRegistry.groups(of: .order).isEmpty)
        #expect(FieldRegistry.descriptor(.customer, "individual.phones")?.group == "individual")
    }

    @Test func enumerationsListTheWireValues() {
        #expect(
            FieldRegistry.descriptor(.customer, "sourceChannel")?.valueType
                == .enumeration([
                    "survey", "marketingEvent", "service", "pointOfSale", "tradeShow", "website",
                    "callCentre", "complaint", "referral", "purchasedList",
                ]))
        #expect(
            FieldRegistry.descriptor(.satisfactionSurvey, "level")?.valueType
                == .integerEnumeration([1, 2, 3, 4, 5]))
    }
}
