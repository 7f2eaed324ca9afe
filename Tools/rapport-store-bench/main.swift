// rapport-store-bench: the same workload on plain SQLite and on the encrypted store, in one
// run, with the encrypted/plain ratio of every figure (Docs/Store.md).
//
//   swift run -c release --scratch-path .build-store rapport-store-bench [--records N] [--cache-kib K] [--repeat R]
//       [--decrypt-ahead on|off]
//   rapport-store-bench page-codec [PAGES]
//
// Hidden mode for the crash test: `rapport-store-bench crash-writer PATH KEYHEX` writes in a
// loop, printing "committed N" after each commit, until it is killed.

import Foundation
import RapportCrypto
import RapportModels
@_spi(Benchmarking) import RapportStore

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "--version" {
    print(RapportVersion.line(for: "rapport-store-bench"))
} else if arguments.count >= 4, arguments[1] == "crash-writer" {
    let path = arguments[2], keyHex = arguments[3]
    runBlocking { [path, keyHex] in try await CrashWriter.run(path: path, keyHex: keyHex) }
} else if arguments.count >= 2, arguments[1] == "page-codec" {
    // `rapport-store-bench page-codec [PAGES]`: seal and open PAGES pages (default 100000)
    // through the VFS's page codec; run it under valgrind's memcheck with two counts to see
    // the heap allocations per page (Docs/Performance.md).
    let pages = arguments.count >= 3 ? Int(arguments[2]) ?? 100_000 : 100_000
    let elapsed = try EncryptedStore.runPageCodec(pages: pages)
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    print(String(format: "page codec: %d pages sealed and opened, %.0f ns per page (seal + open)", pages, nanoseconds / Double(max(1, pages))))
} else {
    var records = 100_000
    var directory: String?
    var cacheKiB = 2048
    var repeats = 3
    var index = 1
    while index < arguments.count {
        switch arguments[index] {
        case "--records":
            index += 1
            records = Int(arguments[index]) ?? records
        case "--cache-kib":
            index += 1
            cacheKiB = Int(arguments[index]) ?? cacheKiB
        case "--repeat":
            index += 1
            repeats = Int(arguments[index]) ?? repeats
        case "--decrypt-ahead":
            index += 1
            EncryptedStore.setDecryptAhead(arguments[index] != "off")
        case "--dir":
            index += 1
            directory = arguments[index]
        default:
            FileHandle.standardError.write(Data("usage: rapport-store-bench [--records N] [--cache-kib K] [--repeat R] [--decrypt-ahead on|off] [--dir DIR]\n".utf8))
            exit(2)
        }
        index += 1
    }
    let benchmark = StoreBenchmark(records: records, directory: directory, pageCacheKiB: cacheKiB, repeats: repeats)
    runBlocking { [benchmark] in try await benchmark.run() }
}
