import Foundation

/// Reads CSV as RFC 4180 describes it: fields separated by a delimiter, records by CRLF or LF,
/// fields in double quotes may hold delimiters, line breaks and doubled quotes (`""`). A UTF-8
/// byte-order mark at the start is skipped (spreadsheets write one).
///
/// ```swift
/// let table = try CSVReader.read(text)        // header row + records, each with its line number
/// ```
public enum CSVReader {
    /// One record and the line of the file it starts on (1-based, counting the header).
    public struct Record: Sendable, Hashable {
        /// The line the record starts on.
        public var line: Int
        /// The fields, in column order.
        public var fields: [String]
    }

    /// A parsed file: the header's column names and the records after it.
    public struct Table: Sendable, Hashable {
        /// The column names of the first record, trimmed.
        public var header: [String]
        /// Every following record that is not empty.
        public var records: [Record]
    }

    /// Parses `text`, taking the first record as the header.
    ///
    /// - Throws: ``AdminError/Code/usage`` for an empty file, a duplicate or empty column name, a
    ///   quote that never closes or text after a closing quote, or a record with more fields than
    ///   the header — each naming the line.
    public static func read(_ text: String, delimiter: Character = ",") throws(AdminError) -> Table {
        var records = try parse(text, delimiter: delimiter)
        guard !records.isEmpty else { throw AdminError(.usage, "the CSV file is empty; its first line must name the columns") }
        let header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else { throw AdminError(.usage, "CSV line 1: column \(index + 1) has no name") }
            guard seen.insert(name).inserted else { throw AdminError(.usage, "CSV line 1: the column '\(name)' appears twice") }
        }
        for record in records where record.fields.count > header.count {
            throw AdminError(
                .usage,
                "CSV line \(record.line): \(record.fields.count) fields but the header names \(header.count) columns; quote fields that contain '\(delimiter)'")
        }
        return Table(header: header, records: records)
    }

    private static func parse(_ text: String, delimiter: Character) throws(AdminError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var afterQuote = false
        var fieldStarted = false
        var iterator = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()).makeIterator() : text.makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            afterQuote = false
            fieldStarted = false
        }

        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty, !afterQuote else {
                    throw AdminError(.usage, "CSV line \(line): a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                }
                quoted = true
                fieldStarted = true
            case delimiter:
                fields.append(field)
                field = ""
                afterQuote = false
                fieldStarted = true
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !afterQuote else {
                    throw AdminError(.usage, "CSV line \(line): text after a closing quote; put the whole field in quotes")
                }
                field.append(character)
                fieldStarted = true
            }
        }
        if quoted { throw AdminError(.usage, "CSV line \(recordLine): a quoted field is never closed") }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
