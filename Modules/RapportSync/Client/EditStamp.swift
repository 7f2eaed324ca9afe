import Foundation
import RapportModels

/// What the client engine records with each local edit in the store's opaque `clock` column:
/// the edit's HLC and, for every field it changed, the value the field had before the first
/// (coalesced) edit — the *base* of the three-way merge.
///
/// Keeping the base with the edit, instead of reading the shadow at push time, keeps counter
/// deltas and set additions exact even when the shadow moves (a pull, or an earlier edit of
/// the same record acknowledged) while the edit waits in the outbox.
///
/// Encoded as compact JSON, `{"b":{"loyaltyPoints":120},"h":"1772358600250-00000-dev"}`. A
/// plain HLC string (an edit saved without the engine) decodes with an empty base.
public struct EditStamp: Sendable, Hashable, Codable {
    /// The edit's clock.
    public var hlc: HLCTimestamp
    /// The base value of each changed field.
    public var base: FieldMap

    /// Creates a stamp.
    public init(hlc: HLCTimestamp, base: FieldMap = [:]) {
        self.hlc = hlc
        self.base = base
    }

    /// Parses a stamp (or a bare HLC); `nil` if the text is neither.
    public init?(parsing text: String) {
        if let data = text.data(using: .utf8), text.hasPrefix("{"),
            let stamp = try? JSONDecoder().decode(EditStamp.self, from: data)
        {
            self = stamp
        } else if let hlc = try? HLCTimestamp(parsing: text) {
            self.init(hlc: hlc)
        } else {
            return nil
        }
    }

    /// The compact JSON form.
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? hlc.description
    }

    enum CodingKeys: String, CodingKey {
        case hlc = "h"
        case base = "b"
    }
}
