/// The one version source of every Rapport product: the executables' `--version`, the server's
/// `GET /v1/info`, `rapport-admin version` and the sync protocol version all read it.
///
/// Releases are tagged `vMAJOR.MINOR.PATCH` (README, "Versions and tags"); ``semantic`` is the
/// version the next tag names. What counts as breaking — the protocol version, the storage
/// schema, command-line flags — is listed there too.
///
/// ```swift
/// print(RapportVersion.line(for: "rapport-server"))
/// // rapport-server 0.7.0 (protocol 1, build dev, debug)
/// ```
public enum RapportVersion {
    /// The release version, `MAJOR.MINOR.PATCH` (semantic versioning).
    public static let semantic = "0.7.0"

    /// The sync protocol version this build speaks and sends (`SyncProtocol.currentVersion`).
    public static let protocolVersion = 1

    /// Where the binary comes from: `dev` for a build from a working tree. A release build sets
    /// it when the tag is made (README, "Versions and tags"); SwiftPM cannot pass a string from
    /// the build environment into the code without a build plugin.
    public static let build = "dev"

    /// `debug` or `release`: how the compiler built this binary.
    public static let configuration: String = {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }()

    /// `0.7.0 (protocol 1, build dev, debug)`.
    public static var summary: String {
        "\(semantic) (protocol \(protocolVersion), build \(build), \(configuration))"
    }

    /// What `--version` prints: the tool's name and ``summary``.
    public static func line(for tool: String) -> String {
        "\(tool) \(summary)"
    }
}
