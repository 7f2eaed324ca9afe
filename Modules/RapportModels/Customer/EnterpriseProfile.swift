import Foundation

/// The profile of an enterprise customer, one flat level of fields.
///
/// Each field belongs to one of the groups basic, characteristics, business status, trading
/// status and person in charge (listed in `Docs/Models.md`).
public struct EnterpriseProfile: Codable, Sendable, Hashable {
    /// Basic: the 18-character unified social credit code (统一社会信用代码).
    public var unifiedSocialCreditCode: String?
    /// Basic: the legal representative's name (sensitive).
    public var legalRepresentative: String?
    /// Basic: the registered address (sensitive).
    public var registeredAddress: String?
    /// Basic: the date the company was founded.
    public var establishedOn: CalendarDate?
    /// Basic: registered capital in minor units.
    public var registeredCapital: Money?
    /// Characteristics: the industry, in the organisation's own words or a code.
    public var industry: String?
    /// Characteristics: the form of ownership.
    public var ownershipType: OwnershipType?
    /// Characteristics: the number of employees, as a band.
    public var employeeBand: EmployeeBand?
    /// Characteristics: main products or lines of business.
    public var mainProducts: [String]
    /// Business status: whether the company is operating.
    public var operatingStatus: OperatingStatus?
    /// Business status: annual revenue in minor units.
    public var annualRevenue: Money?
    /// Trading status: the organisation's credit rating of the customer (secret).
    public var creditRating: CreditRating?
    /// Trading status: the date of the first trade with the organisation.
    public var tradingSince: CalendarDate?
    /// Person in charge: name.
    public var personInChargeName: String?
    /// Person in charge: job title.
    public var personInChargeTitle: String?
    /// Person in charge: phone number (sensitive).
    public var personInChargePhone: String?
    /// Person in charge: the matching ``Contact`` record, if there is one.
    public var personInChargeContactId: UUID?

    /// Creates a profile; every field is optional or empty by default.
    public init(
        unifiedSocialCreditCode: String? = nil, legalRepresentative: String? = nil,
        registeredAddress: String? = nil, establishedOn: CalendarDate? = nil,
        registeredCapital: Money? = nil, industry: String? = nil,
        ownershipType: OwnershipType? = nil, employeeBand: EmployeeBand? = nil,
        mainProducts: [String] = [], operatingStatus: OperatingStatus? = nil,
        annualRevenue: Money? = nil, creditRating: CreditRating? = nil,
        tradingSince: CalendarDate? = nil, personInChargeName: String? = nil,
        personInChargeTitle: String? = nil, personInChargePhone: String? = nil,
        personInChargeContactId: UUID? = nil
    ) {
        self.unifiedSocialCreditCode = unifiedSocialCreditCode
        self.legalRepresentative = legalRepresentative
        self.registeredAddress = registeredAddress
        self.establishedOn = establishedOn
        self.registeredCapital = registeredCapital
        self.industry = industry
        self.ownershipType = ownershipType
        self.employeeBand = employeeBand
        self.mainProducts = mainProducts
        self.operatingStatus = operatingStatus
        self.annualRevenue = annualRevenue
        self.creditRating = creditRating
        self.tradingSince = tradingSince
        self.personInChargeName = personInChargeName
        self.personInChargeTitle = personInChargeTitle
        self.personInChargePhone = personInChargePhone
        self.personInChargeContactId = personInChargeContactId
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unifiedSocialCreditCode, legalRepresentative, registeredAddress, establishedOn
        case registeredCapital, industry, ownershipType, employeeBand, mainProducts
        case operatingStatus, annualRevenue, creditRating, tradingSince, personInChargeName
        case personInChargeTitle, personInChargePhone, personInChargeContactId
    }
}
