import RapportTesting
import Testing

extension AdminCLI.Outcome {
    /// Fails the running test when the command failed because the server does not offer the
    /// endpoint: every endpoint `rapport-admin` calls now exists, so a missing one is a regression.
    func requireEndpoint(_ endpoint: String) throws -> AdminCLI.Outcome {
        if status == 1, stderr.contains("does not offer") {
            Issue.record("the server does not offer \(endpoint), which rapport-admin calls")
        }
        return self
    }
}
