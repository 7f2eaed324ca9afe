import Foundation

/// Something a person did that counts against their quota.
public enum QuotaEvent: Hashable, Codable, Sendable {
    /// The person opened (or synced) a customer; only the first sight of a customer in a
    /// local day counts.
    case customerAccess(UUID)
    /// The person exported records.
    case export
    /// The person revealed one masked sensitive value.
    case sensitiveReveal
}
