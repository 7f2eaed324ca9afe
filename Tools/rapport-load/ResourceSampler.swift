import Foundation

/// Samples a process's resident memory, open file descriptors and threads from Linux's `/proc`
/// at a fixed interval, for soak runs (`rapport-load --watch-pid PID`): the report says whether
/// resident memory stayed flat after warm-up. See Docs/Performance.md, "Soak".
struct ResourceSampler: Sendable {
    /// One sample.
    struct Sample: Sendable {
        /// Seconds since sampling started.
        var seconds: Double
        /// Resident set size in MiB (`VmRSS`).
        var rssMiB: Double
        /// Open file descriptors (entries of `/proc/PID/fd`).
        var descriptors: Int
        /// Threads (`Threads`).
        var threads: Int
    }

    let pid: Int32

    /// One sample now, or `nil` if the process is gone or `/proc` is not there.
    func sample(at seconds: Double) -> Sample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Double($0) }
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
        return Sample(
            seconds: seconds, rssMiB: (field("VmRSS") ?? 0) / 1024, descriptors: descriptors,
            threads: Int(field("Threads") ?? 0))
    }

    /// Samples every `interval` until `deadline`.
    func run(every interval: Duration, until deadline: ContinuousClock.Instant) async -> [Sample] {
        let start = ContinuousClock.now
        var samples: [Sample] = []
        while ContinuousClock.now < deadline {
            if let sample = sample(at: (ContinuousClock.now - start).seconds) { samples.append(sample) }
            try? await Task.sleep(for: interval)
        }
        if let last = sample(at: (ContinuousClock.now - start).seconds) { samples.append(last) }
        return samples
    }

    /// Prints the samples (at most 40 rows) and the verdict: after the first quarter (warm-up),
    /// the least-squares slope of RSS in MiB per hour and the change from the second quarter's
    /// mean to the last quarter's; RSS is *flat* when the slope is under 5 MiB/h or the change
    /// under 5 %.
    static func report(_ samples: [Sample], pid: Int32) {
        guard samples.count >= 4 else {
            print("soak: pid \(pid): too few samples (\(samples.count)); run longer or sample more often")
            return
        }
        print("soak: pid \(pid), \(samples.count) samples")
        print("     t(s)   RSS(MiB)   fds  threads")
        let step = max(1, samples.count / 40)
        for (index, sample) in samples.enumerated() where index % step == 0 || index == samples.count - 1 {
            print(
                String(
                    format: "  %7.0f  %9.1f  %4d  %7d", sample.seconds, sample.rssMiB, sample.descriptors, sample.threads))
        }
        let quarter = samples.count / 4
        let steady = Array(samples.dropFirst(quarter))
        let meanT = steady.map(\.seconds).reduce(0, +) / Double(steady.count)
        let meanR = steady.map(\.rssMiB).reduce(0, +) / Double(steady.count)
        let covariance = steady.map { ($0.seconds - meanT) * ($0.rssMiB - meanR) }.reduce(0, +)
        let variance = steady.map { ($0.seconds - meanT) * ($0.seconds - meanT) }.reduce(0, +)
        let slopePerHour = variance > 0 ? covariance / variance * 3600 : 0
        func mean(_ part: ArraySlice<Sample>) -> Double { part.map(\.rssMiB).reduce(0, +) / Double(max(part.count, 1)) }
        let second = mean(samples[quarter..<(2 * quarter)])
        let last = mean(samples.suffix(quarter))
        let change = second > 0 ? (last - second) / second * 100 : 0
        let flat = slopePerHour < 5 || change < 5
        let fds = samples.map(\.descriptors)
        let threads = samples.map(\.threads)
        print(
            String(
                format:
                    "soak: RSS first %.1f MiB, min %.1f, max %.1f, last %.1f; after warm-up: slope %+.1f MiB/h, last quarter vs second %+.1f %%",
                samples[0].rssMiB, samples.map(\.rssMiB).min() ?? 0, samples.map(\.rssMiB).max() ?? 0,
                samples[samples.count - 1].rssMiB, slopePerHour, change) + " → " + (flat ? "FLAT" : "GROWING"))
        print(
            "soak: fds min \(fds.min() ?? 0) max \(fds.max() ?? 0) last \(fds.last ?? 0); threads min \(threads.min() ?? 0) max \(threads.max() ?? 0) last \(threads.last ?? 0)"
        )
    }
}
