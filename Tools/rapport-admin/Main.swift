import Foundation
import RapportAdminCLI

/// `rapport-admin`: the administrators' command line. The commands live in `RapportAdminCLI`.
@main
enum RapportAdminMain {
    static func main() async {
        exit(await RapportAdminCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
