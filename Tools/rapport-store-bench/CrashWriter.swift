import Foundation
import RapportCrypto
import RapportModels
import RapportStore

/// The child process of the crash test: writes local edits (with outbox entries) and server
/// batches in a loop until it is killed.
enum CrashWriter {
    static func run(path: String, keyHex: String) async throws {
        var bytes: [UInt8] = []
        var index = keyHex.startIndex
        while index < keyHex.endIndex {
            let next = keyHex.index(index, offsetBy: 2)
            bytes.append(UInt8(keyHex[index..<next], radix: 16)!)
            index = next
        }
        let key = try SymmetricKey(bytes: bytes)
        let configuration = StoreConfiguration(scrypt: .testing)
        let store = try await EncryptedStore.open(at: path, credential: .platformKey(key), configuration: configuration)
        var iteration = 0
        while true {
            iteration += 1
            var customer = CustomerFactory.customer(1_000_000 + iteration)
            customer.name = "Local \(iteration)"
            try await store.save(customer, clock: "hlc-\(iteration)")
            if iteration % 2 == 0 {
                customer.notes = "edited \(iteration)"
                try await store.save(customer, clock: "hlc-\(iteration)b")
            }
            if iteration % 5 == 0 {
                let batch = try (0..<300).map { try RecordDocument(CustomerFactory.customer(iteration * 1000 + $0)) }
                try await store.applyServerDocuments(batch)
            }
            FileHandle.standardOutput.write(Data("committed \(iteration)\n".utf8))
        }
    }
}
