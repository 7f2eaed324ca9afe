import Foundation
import RapportCrypto
import RapportModels
@_spi(Benchmarking) import RapportStore

/// Runs the workload on a plain and an encrypted store and prints figures and ratios.
struct StoreBenchmark {
    var records: Int
    var directory: String?
    var pageCacheKiB = 2048
    /// Rounds of the read phases (best kept).
    var repeats = 3

    struct Figures {
        var insertSeconds = 0.0
        var lookupSeconds = 0.0
        var ftsSeconds = 0.0
        var ftsHits = 0
        var scanSeconds = 0.0
        var scanHits = 0
        /// Process CPU time (user + system, all threads) of the fastest scan; its page counts.
        var scanCPUSeconds = 0.0
        var openSeconds = 0.0
        var fileBytes: Int64 = 0
        /// Pages the VFS sealed and opened per phase (encrypted store only).
        var insertPages = (opened: 0, sealed: 0)
        var lookupPages = 0
        /// Pages decrypted ahead during the insert and the lookups (wasted work: random reads).
        var insertAhead = 0
        var lookupAhead = 0
        var scanPages = 0
        /// Pages decrypted ahead during the scan, and how many of them SQLite took.
        var scanAhead = (decrypted: 0, taken: 0)
    }

    func run() async throws {
        let base = directory ?? NSTemporaryDirectory() + "rapport-store-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: base) } }

        print("building \(records) customer documents ...")
        let documents = try CustomerFactory.documents(count: records)
        let averageBytes = documents.reduce(0) { $0 + $1.json.utf8.count } / max(1, documents.count)
        print("average JSON document: \(averageBytes) bytes; page cache \(pageCacheKiB) KiB for both; reads best of \(repeats) alternating rounds")
        var ids = documents.map(\.id)
        var generator = SplitMix(seed: 42)
        ids.shuffle(using: &generator)

        let platformKey = SymmetricKey.generate()
        var configuration = StoreConfiguration(scrypt: .interactive, pageCacheKiB: pageCacheKiB)
        configuration.maximumReaderCount = 2

        let plainPath = base + "/plain.sqlite"
        let encryptedPath = base + "/encrypted.rapportdb"
        let openPlain = { try await EncryptedStore.openUnencrypted(at: plainPath, configuration: configuration) }
        let openEncrypted = {
            try await EncryptedStore.open(at: encryptedPath, credential: .platformKey(platformKey), configuration: configuration)
        }
        _ = try await EncryptedStore.create(at: encryptedPath, credentials: [.platformKey(platformKey)], configuration: configuration)
            .close()
        var plain = try await insert(documents: documents, open: openPlain, path: plainPath)
        var encrypted = try await insert(documents: documents, open: openEncrypted, path: encryptedPath)
        // Read phases alternate plain / encrypted, `repeats` rounds, best of each kept: the
        // machine is shared, and a slow moment then hits one round, not one side.
        for _ in 0..<max(1, repeats) {
            try await readPhases(ids: ids, open: openPlain, path: plainPath, into: &plain)
            try await readPhases(ids: ids, open: openEncrypted, path: encryptedPath, into: &encrypted)
        }

        let scryptStart = ContinuousClock.now
        _ = try Scrypt.derive(
            password: Array("benchmark passcode".utf8), salt: SecureRandom.bytes(count: 16), parameters: .interactive,
            outputByteCount: 32)
        let scryptSeconds = seconds(since: scryptStart)

        let n = Double(records)
        func row(_ label: String, _ plainValue: Double, _ encryptedValue: Double, unit: String, ratio: Double) {
            print(
                label.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: "%14.1f %-10@ %14.1f %-10@  ratio %.2f", plainValue, unit, encryptedValue, unit, ratio))
        }
        print("")
        print("figure".padding(toLength: 28, withPad: " ", startingAt: 0) + "         plain                  encrypted")
        row("A insert (1 transaction)", n / plain.insertSeconds, n / encrypted.insertSeconds, unit: "rows/s",
            ratio: encrypted.insertSeconds / plain.insertSeconds)
        row("B point lookups", n / plain.lookupSeconds, n / encrypted.lookupSeconds, unit: "lookups/s",
            ratio: encrypted.lookupSeconds / plain.lookupSeconds)
        row("C FTS query (avg of 20)", plain.ftsSeconds * 1000, encrypted.ftsSeconds * 1000, unit: "ms",
            ratio: encrypted.ftsSeconds / plain.ftsSeconds)
        row("D scan on a JSON field", plain.scanSeconds * 1000, encrypted.scanSeconds * 1000, unit: "ms",
            ratio: encrypted.scanSeconds / plain.scanSeconds)
        row("cold open (platform key)", plain.openSeconds * 1000, encrypted.openSeconds * 1000, unit: "ms",
            ratio: encrypted.openSeconds / plain.openSeconds)
        print(
            String(
                format: "scan CPU (user+sys, all threads): plain %.1f ms, encrypted %.1f ms (ratio %.2f); per lookup: plain %.2f µs, encrypted %.2f µs",
                plain.scanCPUSeconds * 1000, encrypted.scanCPUSeconds * 1000, encrypted.scanCPUSeconds / plain.scanCPUSeconds,
                plain.lookupSeconds / n * 1e6, encrypted.lookupSeconds / n * 1e6))
        print(String(format: "scrypt n=2^15 r=8 p=1 (passcode open adds this): %.1f ms", scryptSeconds * 1000))
        print("file size: plain \(plain.fileBytes / 1024) KiB, encrypted \(encrypted.fileBytes / 1024) KiB")
        print(
            String(
                format: "encrypted pages: insert sealed %d opened %d (%.2f sealed/row); lookups %.2f opened/lookup; scan %d opened",
                encrypted.insertPages.sealed, encrypted.insertPages.opened, Double(encrypted.insertPages.sealed) / n,
                Double(encrypted.lookupPages) / n, encrypted.scanPages))
        print(
            "scan decrypt-ahead: \(encrypted.scanAhead.decrypted) pages decrypted ahead, \(encrypted.scanAhead.taken) of them taken "
                + "(\(encrypted.scanPages) decrypted by the reading thread); during insert \(encrypted.insertAhead), "
                + "during lookups \(encrypted.lookupAhead) decrypted ahead")
        print("hits: FTS \(plain.ftsHits)/\(encrypted.ftsHits), scan \(plain.scanHits)/\(encrypted.scanHits)")
        guard plain.ftsHits == encrypted.ftsHits, plain.scanHits == encrypted.scanHits else {
            print("MISMATCH between plain and encrypted results")
            exit(1)
        }
    }

    private func insert(
        documents: [RecordDocument], open: () async throws -> EncryptedStore, path: String
    ) async throws -> Figures {
        var figures = Figures()
        let store = try await open()
        let start = ContinuousClock.now
        try await store.applyServerDocuments(documents)
        figures.insertSeconds = seconds(since: start)
        figures.insertPages = await store.pageCipherCounts()
        figures.insertAhead = await store.readAheadCounts().decrypted
        try await store.close()
        figures.fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        figures.openSeconds = .infinity
        figures.lookupSeconds = .infinity
        figures.ftsSeconds = .infinity
        figures.scanSeconds = .infinity
        return figures
    }

    /// One round of cold open (best of 5), lookups, FTS and scan; keeps the best times.
    private func readPhases(
        ids: [UUID], open: () async throws -> EncryptedStore, path: String, into figures: inout Figures
    ) async throws {
        var opened: EncryptedStore?
        for _ in 0..<5 {
            if let opened { try await opened.close() }
            let start = ContinuousClock.now
            opened = try await open()
            figures.openSeconds = min(figures.openSeconds, seconds(since: start))
        }
        let reopened = opened!
        var counts = await reopened.pageCipherCounts()
        let aheadBefore = await reopened.readAheadCounts()

        var start = ContinuousClock.now
        let found = try await reopened.documents(ids: ids)
        figures.lookupSeconds = min(figures.lookupSeconds, seconds(since: start))
        var now = await reopened.pageCipherCounts()
        figures.lookupPages = now.opened - counts.opened
        figures.lookupAhead = await reopened.readAheadCounts().decrypted - aheadBefore.decrypted
        precondition(found.count == ids.count, "lookups found \(found.count) of \(ids.count) in \(path)")

        start = ContinuousClock.now
        for _ in 0..<20 {
            figures.ftsHits = try await reopened.search("Hangzhou tea", limit: 100).count
        }
        figures.ftsSeconds = min(figures.ftsSeconds, seconds(since: start) / 20)

        counts = await reopened.pageCipherCounts()
        let ahead = await reopened.readAheadCounts()
        start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        figures.scanHits = try await reopened.count(
            RecordQuery(kind: .customer, jsonField: .init(path: "$.status", value: "dormant")))
        let scanSeconds = seconds(since: start)
        let scanCPUSeconds = processCPUSeconds() - cpuStart
        now = await reopened.pageCipherCounts()
        let aheadNow = await reopened.readAheadCounts()
        // Page counts and CPU time of the fastest round, the one reported.
        if scanSeconds < figures.scanSeconds {
            figures.scanSeconds = scanSeconds
            figures.scanCPUSeconds = scanCPUSeconds
            figures.scanPages = now.opened - counts.opened
            figures.scanAhead = (aheadNow.decrypted - ahead.decrypted, aheadNow.taken - ahead.taken)
        }
        try await reopened.close()
    }

    /// User + system CPU time of the whole process so far (every thread, including the VFS's
    /// decrypt-ahead thread).
    private func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A small deterministic generator so runs are comparable.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
