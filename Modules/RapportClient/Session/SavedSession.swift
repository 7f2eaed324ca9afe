import Foundation
import RapportModels
import RapportProtocol
import RapportStore

/// What a signed-in device keeps between runs (`session.json` in the client folder).
///
/// Public facts (server, device, staff, expiries) are plain JSON; the tokens and the cached
/// lease key are sealed with AES-256-GCM under the ``DeviceKeychain`` key, bound to the device id.
struct SavedSession: Codable, Sendable {
    /// The secrets, sealed in the file.
    struct Secrets: Codable, Sendable {
        var tokens: SessionTokens
        /// The lease key (base64), absent once the lease expired on this device.
        var leaseKey: String?
    }

    static let formatVersion = 1

    var formatVersion: Int
    var server: ServerEndpoint
    var device: DeviceDescription
    var staff: SignedInUser
    /// The lease's end on this device's clock (see `SessionManager.localExpiry`).
    var leaseExpiresAt: Date
    /// The latest local time this device has seen; a clock set back before it is not trusted.
    var latestLocalTime: Date
    /// When this device last completed a request to the server.
    var lastContactAt: Date?
    /// The sealed ``Secrets``.
    var sealedSecrets: Data
    /// Decrypted secrets (not written).
    var secrets: Secrets

    enum CodingKeys: String, CodingKey {
        case formatVersion, server, device, staff, leaseExpiresAt, latestLocalTime, lastContactAt, sealedSecrets
    }

    init(
        server: ServerEndpoint, device: DeviceDescription, staff: SignedInUser, tokens: SessionTokens, lease: KeyLease,
        leaseExpiresAt: Date, now: Date
    ) {
        formatVersion = Self.formatVersion
        self.server = server
        self.device = device
        self.staff = staff
        self.leaseExpiresAt = leaseExpiresAt
        latestLocalTime = now
        lastContactAt = now
        sealedSecrets = Data()
        secrets = Secrets(tokens: tokens, leaseKey: lease.key)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        server = try container.decode(ServerEndpoint.self, forKey: .server)
        device = try container.decode(DeviceDescription.self, forKey: .device)
        staff = try container.decode(SignedInUser.self, forKey: .staff)
        leaseExpiresAt = try container.decode(Date.self, forKey: .leaseExpiresAt)
        latestLocalTime = try container.decode(Date.self, forKey: .latestLocalTime)
        lastContactAt = try container.decodeIfPresent(Date.self, forKey: .lastContactAt)
        sealedSecrets = try container.decode(Data.self, forKey: .sealedSecrets)
        secrets = Secrets(tokens: SessionTokens(accessToken: "", accessTokenExpiresAt: .distantPast, refreshToken: "", refreshTokenExpiresAt: .distantPast))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(server, forKey: .server)
        try container.encode(device, forKey: .device)
        try container.encode(staff, forKey: .staff)
        try container.encode(leaseExpiresAt, forKey: .leaseExpiresAt)
        try container.encode(latestLocalTime, forKey: .latestLocalTime)
        try container.encodeIfPresent(lastContactAt, forKey: .lastContactAt)
        try container.encode(sealedSecrets, forKey: .sealedSecrets)
    }

    /// The lease key, if cached.
    var leaseKey: ClientKey? {
        secrets.leaseKey.flatMap { Data(base64Encoded: $0) }.flatMap { try? ClientKey(bytes: $0) }
    }

    private var associatedData: [UInt8] { Array("rapport.client.session.v1/\(device.id.uuidString.lowercased())".utf8) }

    /// Reads and unseals the session at `path`; `nil` if there is none.
    static func load(from path: String, keychain: any DeviceKeychain) throws(ClientError) -> SavedSession? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var session: SavedSession
        do {
            session = try RapportJSON.decoder().decode(SavedSession.self, from: data)
        } catch {
            throw ClientError(.sessionMismatch, "\(path) is not a Rapport session file (\(error)); sign in again into an empty folder")
        }
        guard session.formatVersion == formatVersion else {
            throw ClientError(.sessionMismatch, "\(path) has session format \(session.formatVersion); this client reads \(formatVersion) — upgrade the client")
        }
        let key = try keychain.deviceKey()
        do {
            let plain = try ClientCrypto.open([UInt8](session.sealedSecrets), using: key, associatedData: session.associatedData)
            session.secrets = try RapportJSON.decoder().decode(Secrets.self, from: Data(plain))
        } catch {
            throw ClientError(
                .sessionMismatch, "the session in \(path) cannot be unsealed with this device's key; the files do not belong together — sign in again")
        }
        return session
    }

    /// Seals and writes the session atomically (mode 0600).
    mutating func save(to path: String, keychain: any DeviceKeychain) throws(ClientError) {
        let key = try keychain.deviceKey()
        do {
            let plain = try RapportJSON.encoder().encode(secrets)
            sealedSecrets = Data(try ClientCrypto.seal([UInt8](plain), using: key, associatedData: associatedData))
            let data = try RapportJSON.encoder().encode(self)
            try SecureFile.replace(at: path, with: data)
        } catch {
            throw ClientError(.local, "cannot write the session file \(path) (\(error)); check the folder is writable")
        }
    }
}
