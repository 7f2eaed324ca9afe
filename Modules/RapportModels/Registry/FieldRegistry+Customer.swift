extension FieldRegistry {
    static let customer: [FieldDescriptor] =
        [
            FieldDescriptor("kind", .enumeration(Customer.Kind.wireValues), mergePolicy: .immutable),
            FieldDescriptor("name", .string),
            FieldDescriptor("code", .string),
            FieldDescriptor("status", .enumeration(Customer.Status.wireValues)),
            FieldDescriptor("sourceChannel", .enumeration(Customer.SourceChannel.wireValues)),
            FieldDescriptor("teamId", .uuid),
            FieldDescriptor("tier", .enumeration(ValueTier.allCases.map(\.rawValue)), mergePolicy: .serverOnly),
            FieldDescriptor("tierOverride", .enumeration(ValueTier.allCases.map(\.rawValue))),
            FieldDescriptor("accountManagerId", .uuid),
            FieldDescriptor("creditLimit", .money, fieldClass: .secret),
            FieldDescriptor("paymentTermDays", .integer),
            FieldDescriptor("tags", .stringSet, mergePolicy: .setUnion),
            FieldDescriptor("loyaltyPoints", .integer, mergePolicy: .counter),
            FieldDescriptor("notes", .string, fieldClass: .sensitive),
        ] + individualProfile + enterpriseProfile

    static let individualProfile: [FieldDescriptor] = [
        // basic
        FieldDescriptor("individual.gender", .enumeration(IndividualProfile.Gender.wireValues)),
        FieldDescriptor("individual.birthDate", .calendarDate, fieldClass: .sensitive),
        FieldDescriptor(
            "individual.idType", .enumeration(IndividualProfile.IdentityDocumentType.wireValues)),
        FieldDescriptor("individual.idNumber", .string, fieldClass: .sensitive),
        FieldDescriptor("individual.phones", .stringList, fieldClass: .sensitive, maskStyle: .phone),
        FieldDescriptor("individual.emails", .stringList, fieldClass: .sensitive, maskStyle: .email),
        FieldDescriptor("individual.address", .string, fieldClass: .sensitive),
        // consumption
        FieldDescriptor(
            "individual.incomeBand", .enumeration(IndividualProfile.IncomeBand.wireValues),
            fieldClass: .sensitive),
        FieldDescriptor("individual.purchasePreferences", .stringList),
        // education
        FieldDescriptor(
            "individual.educationLevel", .enumeration(IndividualProfile.EducationLevel.wireValues)),
        FieldDescriptor("individual.school", .string),
        // career
        FieldDescriptor("individual.occupation", .string),
        FieldDescriptor("individual.employer", .string),
        FieldDescriptor("individual.jobTitle", .string),
        // family
        FieldDescriptor(
            "individual.maritalStatus", .enumeration(IndividualProfile.MaritalStatus.wireValues),
            fieldClass: .sensitive),
        FieldDescriptor("individual.childrenCount", .integer, fieldClass: .sensitive),
        // lifestyle
        FieldDescriptor("individual.hobbies", .stringList),
        // personality
        FieldDescriptor("individual.personalityTraits", .stringList, fieldClass: .sensitive),
        // relationships
        FieldDescriptor("individual.relationships", .objectList, fieldClass: .sensitive),
    ]

    static let enterpriseProfile: [FieldDescriptor] = [
        // basic
        FieldDescriptor("enterprise.unifiedSocialCreditCode", .string),
        FieldDescriptor("enterprise.legalRepresentative", .string, fieldClass: .sensitive),
        FieldDescriptor("enterprise.registeredAddress", .string, fieldClass: .sensitive),
        FieldDescriptor("enterprise.establishedOn", .calendarDate),
        FieldDescriptor("enterprise.registeredCapital", .money),
        // characteristics
        FieldDescriptor("enterprise.industry", .string),
        FieldDescriptor(
            "enterprise.ownershipType", .enumeration(EnterpriseProfile.OwnershipType.wireValues)),
        FieldDescriptor(
            "enterprise.employeeBand", .enumeration(EnterpriseProfile.EmployeeBand.wireValues)),
        FieldDescriptor("enterprise.mainProducts", .stringList),
        // business status
        FieldDescriptor(
            "enterprise.operatingStatus", .enumeration(EnterpriseProfile.OperatingStatus.wireValues)),
        FieldDescriptor("enterprise.annualRevenue", .money),
        // trading status
        FieldDescriptor(
            "enterprise.creditRating", .enumeration(EnterpriseProfile.CreditRating.wireValues),
            fieldClass: .secret),
        FieldDescriptor("enterprise.tradingSince", .calendarDate),
        // person in charge
        FieldDescriptor("enterprise.personInChargeName", .string),
        FieldDescriptor("enterprise.personInChargeTitle", .string),
        FieldDescriptor(
            "enterprise.personInChargePhone", .string, fieldClass: .sensitive, maskStyle: .phone),
        FieldDescriptor("enterprise.personInChargeContactId", .uuid),
    ]
}
