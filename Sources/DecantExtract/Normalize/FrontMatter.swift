/// YAML front matter for an article's Markdown (`output.frontMatter`): title, author, published, url,
/// tags and language, every string double-quoted and escaped so a YAML 1.2 parser reads it back exactly.
public enum FrontMatter {
    /// The block for `article`, from `---` to `---` and a blank line; absent fields are left out.
    public static func render(_ article: Article) -> String {
        render(title: article.title, author: article.author, published: article.published,
               url: article.canonicalUrl ?? article.url, tags: article.tags, language: article.language)
    }

    /// The article's `.md` content with the front matter on top: the block, then `Article.markdownDocument`.
    public static func document(_ article: Article) -> String {
        render(article) + article.markdownDocument
    }

    /// The block for these fields; nil ones are left out, `title` and `tags` always written.
    public static func render(title: String, author: String?, published: String?, url: String?,
                              tags: [String], language: String?) -> String {
        var out = "---\ntitle: \(quoted(title))\n"
        if let author { out += "author: \(quoted(author))\n" }
        if let published { out += "published: \(quoted(published))\n" }
        if let url { out += "url: \(quoted(url))\n" }
        if tags.isEmpty {
            out += "tags: []\n"
        } else {
            out += "tags:\n" + tags.map { "  - \(quoted($0))\n" }.joined()
        }
        if let language { out += "language: \(quoted(language))\n" }
        return out + "---\n\n"
    }

    /// `s` as a YAML double-quoted scalar: `"` and `\` escaped, and every character outside YAML's
    /// printable set (controls, DEL, C1, U+2028/9, BOM, U+FFFE/F) written as an escape.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x00: out += "\\0"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x85: out += "\\N"
            case 0x2028: out += "\\L"
            case 0x2029: out += "\\P"
            case 0x01...0x1F, 0x7F...0x9F: out += "\\x" + hex(scalar.value, width: 2)
            case 0xFEFF, 0xFFFE, 0xFFFF: out += "\\u" + hex(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
