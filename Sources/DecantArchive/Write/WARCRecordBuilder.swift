import Foundation

/// Serialises WARC/1.1 records: fields, block and the closing blank lines.
enum WARCRecordBuilder {
    /// A fresh `<urn:uuid:...>` record id.
    static func newRecordID() -> String { "<urn:uuid:\(UUID().uuidString.lowercased())>" }

    /// `WARC-Date`: ISO 8601 in UTC, whole seconds.
    static func date(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            .formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
            .replacingOccurrences(of: "+0000", with: "Z")
    }

    /// A field value safe on one line: CR, LF and other controls become `%XX` (URIs) or spaces.
    static func safe(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += String(format: "%%%02X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One whole record; `fields` come after `WARC-Type`, and Content-Length is added.
    static func record(type: String, fields: [(String, String)], block: Data) -> Data {
        var head = "WARC/1.1\r\nWARC-Type: \(type)\r\n"
        for (name, value) in fields { head += "\(name): \(safe(value))\r\n" }
        head += "Content-Length: \(block.count)\r\n\r\n"
        var data = Data(capacity: head.utf8.count + block.count + 4)
        data.append(contentsOf: Array(head.utf8))
        data.append(block)
        data.append(contentsOf: [0x0D, 0x0A, 0x0D, 0x0A])
        return data
    }
}
