/// A set of tags, written to JSON as a sorted array so encodings are stable.
///
/// Sync merges tag sets element by element (``MergePolicy/setUnion``).
///
/// ```swift
/// var tags: TagSet = ["vip", "export"]
/// tags.insert("华东")
/// tags.contains("vip")   // true
/// ```
public struct TagSet: Sendable, Hashable, Codable, ExpressibleByArrayLiteral, Sequence {
    /// The tags.
    public var values: Set<String>

    /// A set holding `values`.
    public init(_ values: some Sequence<String>) { self.values = Set(values) }

    /// An empty set.
    public init() { values = [] }

    /// A set from a literal; duplicates collapse.
    public init(arrayLiteral elements: String...) { values = Set(elements) }

    /// The tags in ascending order, as they are written to JSON.
    public var sorted: [String] { values.sorted() }

    /// The number of tags.
    public var count: Int { values.count }

    /// Whether there are no tags.
    public var isEmpty: Bool { values.isEmpty }

    /// Whether `tag` is in the set.
    public func contains(_ tag: String) -> Bool { values.contains(tag) }

    /// Adds `tag`; returns whether it was new.
    @discardableResult
    public mutating func insert(_ tag: String) -> Bool { values.insert(tag).inserted }

    /// Removes `tag`; returns whether it was present.
    @discardableResult
    public mutating func remove(_ tag: String) -> Bool { values.remove(tag) != nil }

    /// Iterates the tags in ascending order.
    public func makeIterator() -> IndexingIterator<[String]> { sorted.makeIterator() }

    /// Decodes from a JSON array of strings; duplicates collapse.
    public init(from decoder: any Decoder) throws {
        values = Set(try decoder.singleValueContainer().decode([String].self))
    }

    /// Encodes as a sorted JSON array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sorted)
    }
}
