import Foundation

/// Charts for a terminal, drawn with block characters: horizontal bars (with eighth-cell
/// precision), a centred pyramid, and a grid of counts shaded by size. Labels are aligned in
/// terminal cells like ``Table``.
///
/// ```swift
/// print(Chart.bars([("key", 12, "61% of profit"), ("normal", 140, "30%")], width: 40))
/// // key     ██▉                                        12  61% of profit
/// // normal  ████████████████████████████████████████  140  30%
/// ```
public enum Chart {
    /// One bar: a label, the value that sets its length, and a note printed after the value.
    public typealias Bar = (label: String, value: Double, note: String)

    /// Horizontal bars, the longest `width` cells; each line is `label  bar  value  note`.
    public static func bars(_ bars: [Bar], width: Int = 40) -> String {
        guard !bars.isEmpty else { return "" }
        let maximum = bars.map(\.value).max() ?? 0
        let labelWidth = bars.map { Table.displayWidth($0.label) }.max() ?? 0
        let values = bars.map { number($0.value) }
        let valueWidth = values.map(\.count).max() ?? 0
        return zip(bars, values).map { bar, value in
            let cells = maximum > 0 ? bar.value / maximum * Double(width) : 0
            let drawn = block(cells)
            return pad(bar.label, labelWidth) + "  " + drawn + String(repeating: " ", count: max(0, width - Table.displayWidth(drawn)))
                + "  " + String(repeating: " ", count: valueWidth - value.count) + value
                + (bar.note.isEmpty ? "" : "  " + bar.note)
        }.joined(separator: "\n")
    }

    /// A pyramid: one centred bar per level, top first, each as wide as its value allows
    /// (at least one cell when the value is not zero); labels and notes beside it.
    public static func pyramid(_ levels: [Bar], width: Int = 40) -> String {
        guard !levels.isEmpty else { return "" }
        let maximum = levels.map(\.value).max() ?? 0
        let labelWidth = levels.map { Table.displayWidth($0.label) }.max() ?? 0
        return levels.map { level in
            var cells = maximum > 0 ? Int((level.value / maximum * Double(width)).rounded()) : 0
            if level.value > 0 { cells = max(cells, 1) }
            let left = (width - cells) / 2
            let bar = String(repeating: " ", count: left) + String(repeating: "█", count: cells)
                + String(repeating: " ", count: width - cells - left)
            return pad(level.label, labelWidth) + "  " + bar + "  " + number(level.value)
                + (level.note.isEmpty ? "" : "  " + level.note)
        }.joined(separator: "\n")
    }

    /// A grid of counts (`rows` × `columns`), each cell shaded by its count relative to the
    /// largest (`·` for zero, then ░ ▒ ▓ █) and followed by the count.
    public static func grid(
        rows: [String], columns: [String], counts: [[Int]], rowTitle: String, columnTitle: String
    ) -> String {
        let maximum = counts.flatMap { $0 }.max() ?? 0
        let cellWidth = max(columns.map { Table.displayWidth($0) }.max() ?? 0, String(maximum).count + 2)
        let labelWidth = max(rows.map { Table.displayWidth($0) }.max() ?? 0, Table.displayWidth(rowTitle))
        var lines = [
            pad(rowTitle, labelWidth) + "  " + columns.map { pad($0, cellWidth) }.joined(separator: " ") + "  ← " + columnTitle
        ]
        for (index, label) in rows.enumerated() {
            let cells = (0..<columns.count).map { column -> String in
                let count = index < counts.count && column < counts[index].count ? counts[index][column] : 0
                return pad(shade(count, of: maximum) + " " + String(count), cellWidth)
            }
            lines.append(pad(label, labelWidth) + "  " + cells.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func shade(_ count: Int, of maximum: Int) -> String {
        guard count > 0, maximum > 0 else { return "·" }
        let shades = ["░", "▒", "▓", "█"]
        let index = min(shades.count - 1, Int(Double(count) / Double(maximum) * Double(shades.count - 1) + 0.5))
        return shades[index]
    }

    /// A bar of `cells` cells, in eighths.
    static func block(_ cells: Double) -> String {
        let eighths = Int((cells * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
        if text.isEmpty && cells > 0 { text = "▏" }
        return text
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.1f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - Table.displayWidth(text)))
    }
}
