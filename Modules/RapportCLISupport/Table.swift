/// A table of text for people: one header row and aligned columns separated by two spaces,
/// measured in terminal cells (CJK characters take two, combining marks none), so names such
/// as 王芳 or Tomás line up.
///
/// ```swift
/// var table = Table(["NAME", "STATUS"])
/// table.append(["Ana Lima", "active"])
/// print(table.render())
/// // NAME      STATUS
/// // Ana Lima  active
/// ```
public struct Table: Sendable, Hashable {
    /// Column headers.
    public var headers: [String]
    /// Rows (each as many cells as headers; missing cells are blank).
    public var rows: [[String]]

    /// Creates an empty table.
    public init(_ headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = rows
    }

    /// Adds a row.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The aligned text. `style` may decorate a cell (colour) after its width is measured.
    public func render(
        header headerStyle: (String) -> String = { $0 }, cell style: (_ column: Int, _ text: String) -> String = { $1 }
    ) -> String {
        let cleanRows = rows.map { row in
            (0..<headers.count).map { index in
                index < row.count ? Self.singleLine(row[index]) : ""
            }
        }
        var widths = headers.map(Self.displayWidth)
        for row in cleanRows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.displayWidth(cell)) }
        }
        func line(_ cells: [String], decorate: (Int, String) -> String) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let last = index == cells.count - 1
                let padding = last ? "" : String(repeating: " ", count: widths[index] - Self.displayWidth(cell) + 2)
                text += decorate(index, cell) + padding
            }
            return text
        }
        var lines = [line(headers) { headerStyle($1) }]
        for row in cleanRows { lines.append(line(row, decorate: style)) }
        return lines.joined(separator: "\n")
    }

    /// Cells show on one line: newlines and tabs become spaces.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 })
    }

    /// The number of terminal cells `text` takes.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }
}
