/// One block of an article's body, in reading order: what the text and markdown renderers format.
public struct ContentBlock: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case heading(level: Int)
        case paragraph
        /// A list item; `depth` starts at 0, `number` is set for ordered lists.
        case listItem(depth: Int, number: Int?)
        case quote
        case code(language: String?)
        /// A table row; cells are in `cells`, `header` for `<th>` rows.
        case tableRow(header: Bool)
        case caption
        case image(src: String, alt: String)
    }

    public var kind: Kind
    /// Plain text, whitespace collapsed (code keeps its lines).
    public var text: String
    /// The same content with inline markdown (links, emphasis, code spans).
    public var markdown: String
    /// Cell texts of a table row (plain text), empty for other kinds.
    public var cells: [String]

    public init(kind: Kind, text: String, markdown: String? = nil, cells: [String] = []) {
        self.kind = kind
        self.text = text
        self.markdown = markdown ?? text
        self.cells = cells
    }
}
