import RapportModels

/// Constants of the sync protocol described in `Docs/Protocol.md`.
public enum SyncProtocol {
    /// The protocol version this build speaks and sends on every request
    /// (`RapportVersion.protocolVersion` in RapportModels, the one version source).
    public static let currentVersion = RapportVersion.protocolVersion
    /// Every version this build accepts from a peer.
    public static let supportedVersions: ClosedRange<Int> = 1...1

    /// Throws ``SyncError/Code/unsupportedProtocolVersion`` unless `version` is supported.
    public static func check(_ version: Int) throws {
        guard supportedVersions.contains(version) else {
            let advice =
                version > supportedVersions.upperBound
                ? "the server is older than the app; use an app version that speaks protocol \(supportedVersions.upperBound), or upgrade the server"
                : "upgrade the app: this server speaks sync protocol \(supportedVersions.lowerBound)–\(supportedVersions.upperBound), the app sent \(version)"
            throw SyncError(
                .unsupportedProtocolVersion, "protocol version \(version) is not supported; \(advice)",
                supportedVersions: Array(supportedVersions))
        }
    }
}
