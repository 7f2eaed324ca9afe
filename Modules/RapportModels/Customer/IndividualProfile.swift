/// The profile of an individual customer, one flat level of fields.
///
/// Each field belongs to one of the groups basic, consumption, education, career, family,
/// lifestyle, personality and relationships (listed in `Docs/Models.md`). Most are sensitive
/// personal information; the classes are in ``FieldRegistry``.
public struct IndividualProfile: Codable, Sendable, Hashable {
    /// Basic: gender.
    public var gender: Gender?
    /// Basic: date of birth (sensitive).
    public var birthDate: CalendarDate?
    /// Basic: the kind of identity document ``idNumber`` is from.
    public var idType: IdentityDocumentType?
    /// Basic: the identity document number (sensitive).
    public var idNumber: String?
    /// Basic: phone numbers, primary first (sensitive).
    public var phones: [String]
    /// Basic: e-mail addresses, primary first (sensitive).
    public var emails: [String]
    /// Basic: postal address (sensitive).
    public var address: String?
    /// Consumption: monthly income band (sensitive under PIPL).
    public var incomeBand: IncomeBand?
    /// Consumption: product or purchasing preferences.
    public var purchasePreferences: [String]
    /// Education: highest level completed.
    public var educationLevel: EducationLevel?
    /// Education: school or university.
    public var school: String?
    /// Career: occupation.
    public var occupation: String?
    /// Career: employer.
    public var employer: String?
    /// Career: job title.
    public var jobTitle: String?
    /// Family: marital status (sensitive).
    public var maritalStatus: MaritalStatus?
    /// Family: number of children (sensitive).
    public var childrenCount: Int?
    /// Lifestyle: hobbies and interests.
    public var hobbies: [String]
    /// Personality: traits observed by staff (sensitive).
    public var personalityTraits: [String]
    /// Relationships: family, colleagues and referrers (sensitive).
    public var relationships: [PersonRelationship]

    /// Creates a profile; every field is optional or empty by default.
    public init(
        gender: Gender? = nil, birthDate: CalendarDate? = nil,
        idType: IdentityDocumentType? = nil, idNumber: String? = nil, phones: [String] = [],
        emails: [String] = [], address: String? = nil, incomeBand: IncomeBand? = nil,
        purchasePreferences: [String] = [], educationLevel: EducationLevel? = nil,
        school: String? = nil, occupation: String? = nil, employer: String? = nil,
        jobTitle: String? = nil, maritalStatus: MaritalStatus? = nil, childrenCount: Int? = nil,
        hobbies: [String] = [], personalityTraits: [String] = [],
        relationships: [PersonRelationship] = []
    ) {
        self.gender = gender
        self.birthDate = birthDate
        self.idType = idType
        self.idNumber = idNumber
        self.phones = phones
        self.emails = emails
        self.address = address
        self.incomeBand = incomeBand
        self.purchasePreferences = purchasePreferences
        self.educationLevel = educationLevel
        self.school = school
        self.occupation = occupation
        self.employer = employer
        self.jobTitle = jobTitle
        self.maritalStatus = maritalStatus
        self.childrenCount = childrenCount
        self.hobbies = hobbies
        self.personalityTraits = personalityTraits
        self.relationships = relationships
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case gender, birthDate, idType, idNumber, phones, emails, address, incomeBand
        case purchasePreferences, educationLevel, school, occupation, employer, jobTitle
        case maritalStatus, childrenCount, hobbies, personalityTraits, relationships
    }
}
