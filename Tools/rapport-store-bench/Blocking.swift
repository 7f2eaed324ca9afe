import Foundation

/// Runs `body` to completion from synchronous top-level code and exits 1 on an error.
///
/// The benchmark's top level is synchronous on purpose: with top-level `await`, Swift's async
/// main leaves the main thread through `dispatch_main`, and valgrind (3.19; `callgrind`,
/// `memcheck`) then dies with an internal SIGSEGV. The instruction counts and heap totals in
/// `Docs/Performance.md` need valgrind.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) {
    final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            try await body()
        } catch {
            outcome.error = error
        }
        done.signal()
    }
    done.wait()
    if let error = outcome.error {
        FileHandle.standardError.write(Data("rapport-store-bench: \(error)\n".utf8))
        exit(1)
    }
}
