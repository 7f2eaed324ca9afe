/// An aligned text table: one header row, columns two spaces apart, widths measured in
/// terminal cells (CJK characters take two), so names such as 王芳 line up.
///
/// ```swift
/// var table = Table(["ID", "NAME"])
/// table.append(["3f2a…", "王芳"])
/// print(table.render())
/// ```
public struct Table: Sendable, Hashable {
    /// Column headers.
    public var headers: [String]
    /// Rows; missing cells are blank.
    public var rows: [[String]] = []

    /// An empty table.
    public init(_ headers: [String]) { self.headers = headers }

    /// Adds a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The aligned text.
    public func render() -> String {
        let clean = rows.map { row in
            (0..<headers.count).map { index in
                index < row.count ? String(row[index].map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 }) : ""
            }
        }
        var widths = headers.map(Self.displayWidth)
        for row in clean {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                text += cell
                if index < cells.count - 1 {
                    text += String(repeating: " ", count: widths[index] - Self.displayWidth(cell) + 2)
                }
            }
            return text
        }
        return ([line(headers)] + clean.map(line)).joined(separator: "\n")
    }

    /// The number of terminal cells `text` takes.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return total
            default: break
            }
            let value = scalar.value
            let wide: [ClosedRange<UInt32>] = [
                0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                0x20000...0x3FFFD,
            ]
            return total + (wide.contains { $0.contains(value) } ? 2 : 1)
        }
    }
}
