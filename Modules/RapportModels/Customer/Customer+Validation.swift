extension Customer {
    /// Checks the customer's rules: required name, one profile matching ``kind``, non-negative
    /// amounts, tag limits, and every profile field (phones, e-mails, ID numbers, ...).
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(name, "name", max: 200)
        try check.text(code, "code", max: 64)
        try check.nonNegative(creditLimit, "creditLimit")
        try check.range(paymentTermDays, "paymentTermDays", 0...365)
        try check.nonNegative(loyaltyPoints, "loyaltyPoints")
        try check.list(tags.sorted, "tags", maxCount: 50, maxLength: 50)
        try check.text(notes, "notes", max: 10_000)
        switch kind {
        case .individual:
            guard let individual else {
                throw check.error(
                    "individual", .profileMismatch,
                    "An individual customer needs an individual profile; add 'individual' (it may be empty).")
            }
            if enterprise != nil {
                throw check.error(
                    "enterprise", .profileMismatch,
                    "An individual customer cannot have an enterprise profile; remove 'enterprise'.")
            }
            try individual.validate(check)
        case .enterprise:
            guard let enterprise else {
                throw check.error(
                    "enterprise", .profileMismatch,
                    "An enterprise customer needs an enterprise profile; add 'enterprise' (it may be empty).")
            }
            if individual != nil {
                throw check.error(
                    "individual", .profileMismatch,
                    "An enterprise customer cannot have an individual profile; remove 'individual'.")
            }
            try enterprise.validate(check)
        }
    }
}

extension IndividualProfile {
    func validate(_ check: Checker) throws {
        if let birthDate, birthDate.year < 1900 {
            throw check.error(
                "individual.birthDate", .range, "Birth date \(birthDate) is before 1900; correct the year.")
        }
        if let idNumber {
            try check.text(idNumber, "individual.idNumber", max: 32)
            if idType == .residentIdCard, !IdentityNumber.isValidResidentId(idNumber) {
                throw check.error(
                    "individual.idNumber", .format,
                    "'\(idNumber)' is not a resident ID number (18 characters with a valid birth date and check character); check it against the card."
                )
            }
        }
        try check.phones(phones, "individual.phones")
        try check.emails(emails, "individual.emails")
        try check.text(address, "individual.address", max: 500)
        try check.list(purchasePreferences, "individual.purchasePreferences")
        try check.text(school, "individual.school", max: 200)
        try check.text(occupation, "individual.occupation", max: 200)
        try check.text(employer, "individual.employer", max: 200)
        try check.text(jobTitle, "individual.jobTitle", max: 200)
        try check.range(childrenCount, "individual.childrenCount", 0...30)
        try check.list(hobbies, "individual.hobbies")
        try check.list(personalityTraits, "individual.personalityTraits")
        if relationships.count > 50 {
            throw check.error(
                "individual.relationships", .length,
                "'individual.relationships' has \(relationships.count) entries; keep at most 50.")
        }
        for relationship in relationships {
            try check.text(relationship.name, "individual.relationships", max: 100)
            try check.text(relationship.note, "individual.relationships", max: 500)
        }
    }
}

extension EnterpriseProfile {
    func validate(_ check: Checker) throws {
        if let code = unifiedSocialCreditCode, !IdentityNumber.isValidUnifiedSocialCreditCode(code) {
            throw check.error(
                "enterprise.unifiedSocialCreditCode", .format,
                "'\(code)' is not a unified social credit code (18 characters with a valid check character); copy it from the business licence."
            )
        }
        try check.text(legalRepresentative, "enterprise.legalRepresentative", max: 100)
        try check.text(registeredAddress, "enterprise.registeredAddress", max: 500)
        try check.nonNegative(registeredCapital, "enterprise.registeredCapital")
        try check.text(industry, "enterprise.industry", max: 100)
        try check.list(mainProducts, "enterprise.mainProducts")
        try check.nonNegative(annualRevenue, "enterprise.annualRevenue")
        try check.text(personInChargeName, "enterprise.personInChargeName", max: 100)
        try check.text(personInChargeTitle, "enterprise.personInChargeTitle", max: 100)
        try check.phone(personInChargePhone, "enterprise.personInChargePhone")
    }
}
