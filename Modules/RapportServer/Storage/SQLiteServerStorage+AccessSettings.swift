import Foundation
import GRDB
import RapportAccess
import RapportModels

/// The organisation's `AccessSettings` (automatic suspension, working hours, anomaly
/// thresholds, …), kept as JSON in the `setting` table and loaded with the organisation.
extension ServerTransaction {
    /// Stores the organisation's access settings. The policy cache does not see this write:
    /// call `PolicyService.invalidate()` (the admin API's organisation-change hook) afterwards.
    public func saveAccessSettings(_ settings: AccessSettings) async throws {
        let text = String(decoding: try RapportJSON.encoder().encode(settings), as: UTF8.self)
        try await setSetting(SQLiteServerStorage.accessSettingsKey, text)
    }
}

extension SQLiteServerStorage {
    /// The `setting` key of the access settings.
    public static let accessSettingsKey = "accessSettings"

    /// The stored settings, or the documented defaults when none were saved.
    static func accessSettings(_ db: Database) throws -> AccessSettings {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [accessSettingsKey])
            .map { try decode(AccessSettings.self, $0) } ?? AccessSettings()
    }
}
