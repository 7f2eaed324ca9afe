#if canImport(Glibc)
    import Glibc
#endif

/// Gives memory the allocator holds but no longer uses back to the system (glibc's
/// `malloc_trim(0)`), so resident memory returns near its baseline after a burst of
/// connections closes instead of staying at the burst's peak (`Docs/Performance.md`,
/// "Connections"). Does nothing where glibc's `malloc_trim` is absent.
public enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: Trim.self)
        #else
            return nil
        #endif
    }()

    /// Releases free heap memory to the system; returns whether the allocator could.
    @discardableResult
    public static func releaseFreeMemory() -> Bool {
        guard let trim else { return false }
        return trim(0) == 1
    }
}
