import Foundation
import RapportModels
import RapportStore

/// Finding records in the local store by full id or unique id prefix.
enum RecordLookup {
    /// The live record of `kind` whose id is `text` or starts with it (at least 4 characters).
    static func find(_ text: String, kind: EntityKind, in store: EncryptedStore) async throws -> RecordDocument {
        let needle = text.lowercased()
        if let id = UUID(uuidString: text) {
            if let document = try await store.document(id: id), document.kind == kind, !document.isDeleted {
                return document
            }
            throw ClientCLIError(
                "there is no \(kind.rawValue) \(needle) on this device; list them with rapport-client customers list, or sync first"
            )
        }
        guard needle.count >= 4, needle.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw ClientCLIError.usage(
                "'\(text)' is not a record id; give the full id or its first 4+ characters (see rapport-client customers list)"
            )
        }
        let matches = try await store.records(RecordQuery(kind: kind)).filter {
            $0.id.uuidString.lowercased().hasPrefix(needle)
        }
        switch matches.count {
        case 1: return matches[0]
        case 0:
            throw ClientCLIError(
                "there is no \(kind.rawValue) starting with \(needle) on this device; list them with rapport-client customers list, or sync first"
            )
        default:
            throw ClientCLIError("\(matches.count) \(kind.rawValue) records start with \(needle); give more of the id")
        }
    }

    /// The customer whose id is `text` (full or unique prefix), decoded.
    static func customer(_ text: String, in store: EncryptedStore) async throws -> Customer {
        try await find(text, kind: .customer, in: store).decode(as: Customer.self)
    }
}
