import Foundation

extension Complaint {
    /// Checks the complaint: a number, every stage up to the current one has a timestamp no
    /// earlier than the previous stage's, later stages have none, deadlines follow receipt.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(number, "number", max: 64)
        try check.text(category, "category", max: 100)
        try check.text(description, "description", max: 10_000)
        try check.text(resolution, "resolution", max: 10_000)
        var previous: (field: String, date: Date)?
        for candidate in Stage.allCases {
            let field = Self.timestampField(of: candidate)
            let date = timestamp(of: candidate)
            if candidate <= stage {
                guard let date else {
                    throw check.error(
                        field, .required,
                        "The complaint is at stage '\(stage.rawValue)' but '\(field)' is missing; record when it reached that stage."
                    )
                }
                if let previous {
                    try check.notBefore(date, field, previous.date, previous.field)
                }
                previous = (field, date)
            } else if date != nil {
                throw check.error(
                    field, .stageOrder,
                    "'\(field)' is set but the complaint is only at stage '\(stage.rawValue)'; advance the stage or remove the timestamp."
                )
            }
        }
        try check.notBefore(responseDueAt, "responseDueAt", receivedAt, "receivedAt")
        try check.notBefore(resolutionDueAt, "resolutionDueAt", receivedAt, "receivedAt")
    }
}
