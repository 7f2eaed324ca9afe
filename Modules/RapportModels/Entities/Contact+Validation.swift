extension Contact {
    /// Checks the contact: required name, phone and e-mail formats, text lengths.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(name, "name", max: 100)
        try check.text(title, "title", max: 100)
        try check.text(department, "department", max: 100)
        try check.phones(phones, "phones")
        try check.emails(emails, "emails")
        try check.text(notes, "notes", max: 10_000)
    }
}
