import Foundation

/// Locates the files under `Tests/Fixtures` (next to this source file), with no bundle resources.
package enum FixturePaths {
    package static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    package static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    package static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    /// Folder names directly under a fixture folder, sorted.
    package static func cases(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// Whitespace-folded, for comparing texts that differ only in line breaks.
package func folded(_ s: String) -> String {
    s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
