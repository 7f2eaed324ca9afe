import ArgumentParser
import Foundation

/// `rapport-admin logout`: ends the session on the server (its tokens stop working) and
/// deletes the session file. The file is deleted even if the server cannot be reached.
public struct LogoutCommand: AsyncParsableCommand {
    /// Help and examples.
    public static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the session on the server and delete the session file.",
        discussion: """
            Examples:
              rapport-admin logout
              rapport-admin logout --session-file ./ci-session.json
            """)

    @OptionGroup public var global: GlobalOptions

    /// Creates the command.
    public init() {}

    /// Runs it.
    public func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let profile = try ContextStore(path: ContextStore.defaultPath(environment: environment))
            .resolve(options: global, environment: environment)
        let store = SessionStore(path: profile.sessionPath)
        let terminal = Terminal.current
        guard let session = try? store.load() else {
            store.delete()
            terminal.printError("Not signed in (no session file at \(store.path)); nothing to do.")
            return
        }
        var serverNote = "ended on the server"
        let connection = try AdminConnection(
            server: try ServerAddress.parse(session.server), credentials: .session(store, session),
            caFile: global.caFile ?? environment["RAPPORT_CA_FILE"] ?? profile.entry?.caFile)
        do throws(AdminError) {
            _ = try await connection.send(.POST, "/v1/auth/logout")
        } catch where error.code == .sessionExpired {
            serverNote = "had already ended on the server"
        } catch {
            await connection.close()
            store.delete()
            throw AdminError(
                error.code, "deleted the local session, but could not end it on the server: \(error.message)")
        }
        await connection.close()
        store.delete()
        terminal.print("Signed out of \(session.server); the session \(serverNote) and \(store.path) was deleted.")
    }
}
