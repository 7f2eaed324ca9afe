import RapportModels

/// A record's fields by registry path (`name`, `individual.phones`, `customFields.region`), as
/// made by `Entity.fieldMap()`. Mutations carry only changed paths; full records carry all.
public typealias FieldMap = [String: JSONValue]
