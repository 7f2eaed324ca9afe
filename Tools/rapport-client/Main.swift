import Foundation
import RapportClientCLI

/// `rapport-client`: a device from the terminal. The commands live in `RapportClientCLI`.
@main
enum RapportClientMain {
    static func main() async {
        exit(await RapportClientCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
