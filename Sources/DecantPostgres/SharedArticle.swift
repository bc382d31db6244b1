import Foundation

/// An article as the shared queue keeps it: the files a node would write into out/, with where and
/// when it was delivered. `seq` increases with every delivery, so a reader's cursor is one number.
public struct SharedArticle: Sendable, Equatable {
    /// Position in the `articles` table (0 for one not stored yet).
    public var seq: Int64
    public var id: String
    public var url: String
    public var fingerprint: String
    /// `<id>.json`, byte for byte.
    public var json: String
    /// `<id>.md` and `<id>.txt`, when the delivering node's `output.formats` named them.
    public var markdown: String?
    public var text: String?
    public var node: String
    public var deliveredAt: Date

    public init(seq: Int64 = 0, id: String, url: String, fingerprint: String, json: String, markdown: String? = nil,
                text: String? = nil, node: String = "", deliveredAt: Date = Date(timeIntervalSince1970: 0)) {
        self.seq = seq
        self.id = id
        self.url = url
        self.fingerprint = fingerprint
        self.json = json
        self.markdown = markdown
        self.text = text
        self.node = node
        self.deliveredAt = deliveredAt
    }

    /// True when `id` can name files in a folder: 1 to 128 of `A-Z a-z 0-9 _ -` (a row written by
    /// something else than decant must not make `collect` write outside its folder).
    public static func isSafeID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
    }
}
