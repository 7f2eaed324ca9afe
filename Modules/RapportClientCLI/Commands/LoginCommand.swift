import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore

/// `rapport-client login`: signs in, registers this device and creates its encrypted store.
///
/// The password comes from stdin with `--password-stdin`, else `RAPPORT_PASSWORD`, else a
/// prompt without echo on a terminal.
///
/// ```
/// echo "$PASSWORD" | rapport-client login --server https://crm.example.com --login-name ana.rep --password-stdin
/// ```
public struct LoginCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign in and set up this device folder.",
        discussion:
            "The password is read from stdin with --password-stdin, else from RAPPORT_PASSWORD, else asked for on the terminal without echo."
    )

    @OptionGroup var device: DeviceOptions

    /// The server's base URL.
    @Option(name: .long, help: ArgumentHelp("Server URL, e.g. https://crm.example.com.", valueName: "url"))
    var server: String

    /// The login name.
    @Option(name: .customLong("login-name"), help: ArgumentHelp("Login name, e.g. ana.rep.", valueName: "name"))
    var loginName: String

    /// Read the password from the first line of stdin.
    @Flag(name: .customLong("password-stdin"), help: "Read the password from stdin.")
    var passwordStdin = false

    /// The device's name as administrators see it.
    @Option(
        name: .customLong("device-name"),
        help: ArgumentHelp("This device's name (default: rapport-client on HOST).", valueName: "name"))
    var deviceName: String?

    /// A PEM file of certificate authorities to trust.
    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM certificate(s) to trust for a server with a private CA.", valueName: "pem"))
    var caFile: String?

    /// Creates the command.
    public init() {}

    /// Checks the URL's form.
    public func validate() throws {
        do {
            _ = try ServerEndpoint(server)
        } catch {
            throw ArgumentParser.ValidationError(error.message)
        }
        if loginName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ArgumentParser.ValidationError("--login-name must not be empty")
        }
    }

    /// Signs in.
    public func run() async throws {
        let terminal = Terminal.current
        let password = try readPassword(terminal: terminal)
        let endpoint = try ServerEndpoint(server)
        let name = deviceName ?? "rapport-client on \(ProcessInfo.processInfo.hostName)"
        let client = try await RapportClient.signIn(
            server: endpoint, loginName: loginName, password: password, directory: device.folder,
            device: DeviceDescription(name: name, platform: "cli"), options: DeviceOptions.clientOptions(caFile: caFile)
        )
        let lease = await client.session.leaseExpiresAt
        await client.close()
        if device.json {
            Display.printJSON([
                "staff": [
                    "id": Display.id(client.staff.id), "name": .string(client.staff.name),
                    "roles": .array(client.staff.roles.map(JSONValue.string)),
                ],
                "deviceId": Display.id(client.device.id), "server": .string(endpoint.baseURL),
                "leaseExpiresAt": .string(Display.date(lease)), "directory": .string(device.folder.path),
            ])
        } else {
            terminal.print(
                "signed in as \(client.staff.name) (\(client.staff.roles.joined(separator: ", "))) at \(endpoint.baseURL)"
            )
            terminal.print("device \(client.device.id.uuidString.lowercased()) in \(device.folder.path)")
            terminal.print("key lease until \(Display.date(lease)); run rapport-client sync to fetch your customers")
        }
    }

    func readPassword(terminal: Terminal) throws -> String {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ClientCLIError.usage("--password-stdin was given but stdin holds no password")
            }
            return line
        }
        if let password = ProcessInfo.processInfo.environment["RAPPORT_PASSWORD"], !password.isEmpty { return password }
        if terminal.stdinIsTerminal, let password = terminal.askSecret("Password for \(loginName): "), !password.isEmpty
        {
            return password
        }
        throw ClientCLIError.usage(
            "no password: pass --password-stdin, set RAPPORT_PASSWORD, or run on a terminal to be asked")
    }
}
