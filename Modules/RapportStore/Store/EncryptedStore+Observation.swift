import Dispatch
import Foundation
import GRDB

extension EncryptedStore {
    /// The records matching `query`, now and after every change that affects them.
    ///
    /// ```swift
    /// for try await customers in try await store.observe(RecordQuery(kind: .customer, ownerId: me)) {
    ///     render(customers)
    /// }
    /// ```
    /// Cancelling the iterating task stops the observation.
    public func observe(_ query: RecordQuery) throws -> AsyncThrowingStream<[RecordDocument], any Error> {
        let database = try writer()
        let entry = keyEntry
        let observation = ValueObservation.tracking { db in try Self.fetch(query, in: db) }.removeDuplicates()
        return AsyncThrowingStream { continuation in
            let cancellable = observation.start(
                in: database,
                scheduling: .async(onQueue: DispatchQueue(label: "RapportStore.observation")),
                onError: { continuation.finish(throwing: Self.storeError($0, entry: entry)) },
                onChange: { continuation.yield($0) })
            continuation.onTermination = { _ in cancellable.cancel() }
        }
    }
}
