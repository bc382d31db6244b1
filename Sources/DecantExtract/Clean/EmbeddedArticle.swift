import Foundation
import DecantCore
import DecantHTML

/// The article's text where a page keeps it for its JavaScript rather than in its HTML: JSON-LD
/// `articleBody`, or the data a script embeds for the app that renders the page (Next.js
/// `__NEXT_DATA__`, `application/json` scripts, `window.__INITIAL_STATE__ = {…}` and the like).
///
/// Only used when the HTML holds little text (see `Extractor`): embedded data also carries other
/// stories' summaries, so it is a last resort, and the output says where the text came from.
enum EmbeddedArticle {
    enum Source: Sendable, Equatable { case jsonLD, embeddedData }

    /// Largest script read (bytes).
    static let maxScriptBytes = 4_000_000
    /// Shortest string (characters) taken as a paragraph, and fewest words in it.
    static let minParagraphLength = 80
    static let minParagraphWords = 12
    /// Most paragraphs taken from one page's data.
    static let maxParagraphs = 400
    /// Assignments of state objects that apps embed in inline scripts.
    static let stateMarkers = [
        "__INITIAL_STATE__", "__PRELOADED_STATE__", "__APOLLO_STATE__", "__NUXT_DATA__", "__DATA__", "__STATE__",
    ]

    /// The best embedded text: JSON-LD `articleBody` when present, else paragraphs from script data.
    static func find(in doc: HTMLDocument, metadata: PageMetadata, options: CleanConfig) -> (blocks: [ContentBlock], source: Source)? {
        if let body = metadata.articleBody, !body.trimmed.isEmpty {
            let blocks = paragraphs(ofText: body, options: options)
            if !blocks.isEmpty { return (blocks, .jsonLD) }
        }
        var blocks: [ContentBlock] = []
        var seen = Set<String>()
        for json in dataScripts(doc) {
            for s in JSONStrings.literals(in: json) where blocks.count < maxParagraphs {
                for block in paragraphs(ofString: s, options: options) where seen.insert(block.text).inserted {
                    blocks.append(block)
                }
            }
        }
        return blocks.isEmpty ? nil : (blocks, .embeddedData)
    }

    /// Paragraph blocks of a plain or HTML text (HTML is parsed and cleaned as a page of its own).
    private static func paragraphs(ofText text: String, options: CleanConfig) -> [ContentBlock] {
        if looksLikeHTML(text) { return cleanedFragment(text, options: options) }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String($0).collapsedWhitespace }
            .filter { !$0.isEmpty }
            .map { ContentBlock(kind: .paragraph, text: $0) }
    }

    /// A string of script data as paragraphs, when it reads like prose.
    private static func paragraphs(ofString s: String, options: CleanConfig) -> [ContentBlock] {
        if looksLikeHTML(s) {
            return s.utf8.count >= minParagraphLength ? cleanedFragment(s, options: options) : []
        }
        let t = s.collapsedWhitespace
        guard isProse(t) else { return [] }
        return [ContentBlock(kind: .paragraph, text: t)]
    }

    /// Sentences, not identifiers, URLs or code: long enough, many words, ends like a sentence.
    static func isProse(_ t: String) -> Bool {
        guard t.count >= minParagraphLength, !t.hasPrefix("http"), !t.contains("{"), !t.contains("\\u") else { return false }
        let words = t.split(separator: " ")
        guard words.count >= minParagraphWords else { return false }
        guard let last = t.last, ".!?…\"”»)。".contains(last) else { return false }
        let letters = t.unicodeScalars.filter { $0.properties.isAlphabetic }.count
        return letters * 10 >= t.unicodeScalars.count * 6
    }

    private static func looksLikeHTML(_ s: String) -> Bool {
        s.contains("<p") || s.contains("</p>") || s.contains("<br") || s.contains("</div>")
    }

    private static func cleanedFragment(_ html: String, options: CleanConfig) -> [ContentBlock] {
        let page = "<html><body>" + html + "</body></html>"
        guard let doc = try? HTMLDocument(bytes: Data(page.utf8), declaredCharset: "utf-8", maxBytes: options.maxPageBytes),
              let body = doc.body else { return [] }
        let scan = DocumentScan(root: body, expectedElements: doc.elementCount)
        defer { scan.reset() }
        var builder = BlockBuilder(scan: scan, filter: BlockFilter(scan: scan, removed: [Bool](repeating: false, count: scan.count)),
                                   options: options, resolveURL: { _ in nil })
        return builder.render([0]).filter { $0.kind != .caption && !$0.text.isEmpty }
    }

    /// The texts of scripts that hold app data: JSON scripts and state assignments in inline scripts.
    private static func dataScripts(_ doc: HTMLDocument) -> [String] {
        guard let root = doc.root else { return [] }
        var out: [String] = []
        var n: Node? = root
        while let node = n {
            if node.isElement && node.tag == .script {
                if let json = data(of: node) { out.append(json) }
                n = node.nextInPreorder(within: root)
                continue
            }
            if node.isElement, let child = node.firstChild { n = child; continue }
            n = node.nextInPreorder(within: root)
        }
        return out
    }

    private static func data(of script: Node) -> String? {
        let type = (script.attribute("type") ?? "").lowercased()
        if type.contains("ld+json") { return nil }
        var bytes: [UInt8] = []
        script.appendText(to: &bytes)
        guard bytes.count <= maxScriptBytes, bytes.count >= minParagraphLength else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        if type.contains("json") { return text }
        guard let marker = stateMarkers.first(where: { text.contains($0) }),
              let at = text.range(of: marker),
              let open = text[at.upperBound...].firstIndex(where: { $0 == "{" || $0 == "[" }),
              let close = text.lastIndex(where: { $0 == "}" || $0 == "]" }), open < close else { return nil }
        return String(text[open...close])
    }
}

/// The string literals of a JSON text in document order (object keys left out), each decoded.
enum JSONStrings {
    static func literals(in json: String) -> [String] {
        // The whole text must be JSON; Foundation decodes each literal so escapes are read correctly.
        guard let data = json.data(using: .utf8),
              (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return [] }
        let bytes = Array(json.utf8)
        var out: [String] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\"") else { i += 1; continue }
            var j = i + 1
            while j < bytes.count && bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
            guard j < bytes.count else { break }
            var k = j + 1
            while k < bytes.count && (bytes[k] == 32 || bytes[k] == 9 || bytes[k] == 10 || bytes[k] == 13) { k += 1 }
            let isKey = k < bytes.count && bytes[k] == UInt8(ascii: ":")
            if !isKey && j - i > EmbeddedArticle.minParagraphLength,
               let s = try? JSONSerialization.jsonObject(with: Data(bytes[i...j]), options: [.fragmentsAllowed]) as? String {
                out.append(s)
            }
            i = j + 1
        }
        return out
    }
}
