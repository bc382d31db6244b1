import DecantCore
import Foundation

/// An article in each output format: the one rendering `decant extract`, `decant fetch` and the spool write.
extension OutputConfig.Format {
    /// The file name extension of an article written in this format.
    public var fileExtension: String {
        switch self {
        case .json: "json"
        case .markdown: "md"
        case .text: "txt"
        }
    }

    /// The article in this format, without a final newline; Markdown with YAML front matter when asked.
    public func body(_ article: Article, frontMatter: Bool = false) -> Data {
        switch self {
        case .json: article.jsonData()
        case .markdown: Data((frontMatter ? FrontMatter.document(article) : article.markdownDocument).utf8)
        case .text: Data(article.text.utf8)
        }
    }

    /// The article's file in this format: the body and one final newline (as every file in out/ ends).
    public func file(_ article: Article, frontMatter: Bool = false) -> Data {
        var data = body(article, frontMatter: frontMatter)
        data.append(0x0A)
        return data
    }
}
