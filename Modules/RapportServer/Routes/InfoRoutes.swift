import Hummingbird
import RapportModels
import RapportProtocol

/// `GET /v1/info`: which server this is — its version, the sync protocol versions it speaks,
/// its storage kind and build. Unauthenticated, so an app can check compatibility before
/// signing in and an operator's tools can ask without a token; it holds nothing about the
/// organisation (no counts, names or settings), only what the binary is (`Docs/Protocol.md`,
/// "Server information").
struct InfoRoutes: RouteModule {
    /// The body of `GET /v1/info`.
    struct ServerInfo: Codable, Sendable, Equatable {
        /// The server's release version, `MAJOR.MINOR.PATCH`.
        var version: String
        /// The sync protocol version the server speaks by default.
        var protocolVersion: Int
        /// Every sync protocol version the server accepts.
        var supportedProtocolVersions: [Int]
        /// The storage kind, e.g. `sqlite`.
        var storage: String
        /// The build: `dev` from a working tree, else what the release set.
        var build: String
        /// `debug` or `release`.
        var configuration: String
    }

    func register(in groups: RouteGroups) {
        let info = ServerInfo(
            version: RapportVersion.semantic, protocolVersion: SyncProtocol.currentVersion,
            supportedProtocolVersions: Array(SyncProtocol.supportedVersions),
            storage: groups.services.storage.storageKind,
            build: RapportVersion.build, configuration: RapportVersion.configuration)
        groups.public.get("info") { _, _ in
            try Response.json(info)
        }
    }
}
