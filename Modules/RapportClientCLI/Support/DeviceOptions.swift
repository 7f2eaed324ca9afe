import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// Options every device command shares: the device folder and the output format.
///
/// ```
/// rapport-client status --dir ~/phones/ana --json
/// ```
public struct DeviceOptions: ParsableArguments, Sendable {
    /// The device folder (`RAPPORT_CLIENT_DIR`; default `./rapport-device`).
    @Option(
        name: .customLong("dir"),
        help: ArgumentHelp("Device folder (env: RAPPORT_CLIENT_DIR; default ./rapport-device).", valueName: "path"))
    public var directory: String?

    /// Print JSON instead of tables and lines.
    @Flag(name: .long, help: "Print JSON instead of tables.")
    public var json = false

    /// Creates the options (argument parsing fills them).
    public init() {}

    /// The folder in use: the flag, else `RAPPORT_CLIENT_DIR`, else `./rapport-device`.
    public var folder: ClientDirectory {
        ClientDirectory(directory ?? ProcessInfo.processInfo.environment["RAPPORT_CLIENT_DIR"] ?? "./rapport-device")
    }

    /// The client options the tool uses: fewer retries than an app (a person is waiting).
    static func clientOptions(caFile: String? = nil) -> ClientOptions {
        var options = ClientOptions(caFile: caFile, requestTimeoutSeconds: 30)
        options.sync.maxAttempts = 3
        return options
    }

    /// Opens the signed-in device (offline while its key lease holds), runs `body`, closes it.
    func withClient<T: Sendable>(_ body: (RapportClient) async throws -> T) async throws -> T {
        let folder = self.folder
        let client: RapportClient
        do {
            client = try await RapportClient.open(directory: folder, options: Self.clientOptions())
        } catch let error as ClientError where error.code == .notSignedIn {
            throw ClientCLIError("no one is signed in in \(folder.path); run rapport-client login")
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }
}
