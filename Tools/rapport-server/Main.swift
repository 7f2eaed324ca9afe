import ArgumentParser
import RapportServer

/// `rapport-server`: a thin shell over ``RapportServerCommand`` (RapportServer).
@main
enum Main {
    static func main() async {
        await RapportServerCommand.main()
    }
}
