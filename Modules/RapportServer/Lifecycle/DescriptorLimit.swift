#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which bounds how many connections the
/// server can hold (`Docs/Operations.md`, "Limits").
public enum DescriptorLimit {
    /// The soft and hard limits now (`Int.max` for "unlimited").
    public static var current: (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return (1_024, 1_024) }
        return (clamp(limit.rlim_cur), clamp(limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit, where the system allows it (on macOS at most
    /// `OPEN_MAX`), and returns the soft limit in effect afterwards.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return current.soft }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
                raised.rlim_cur = min(raised.rlim_cur, rlim_t(OPEN_MAX))
            #endif
            _ = setrlimit(resourceNOFILE, &raised)
        }
        return current.soft
    }

    #if canImport(Glibc)
        private static let resourceNOFILE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resourceNOFILE = RLIMIT_NOFILE
    #endif

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }
}
