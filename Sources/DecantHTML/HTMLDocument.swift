import CLibXML2
import Foundation
import DecantCore

/// A parsed HTML page: owns the libxml2 document and frees it in `deinit`.
///
/// The bytes are decoded to UTF-8 first (see `Charset`), so the tree always holds valid UTF-8.
/// The parse is bounded by `ExtractLimits` (see `TagLimiter`) and by a deadline.
public final class HTMLDocument {
    let doc: htmlDocPtr
    /// The encoding the page was read with.
    public let charset: Charset
    /// The number of bytes parsed (after transcoding).
    public let parsedBytes: Int
    /// The number of elements libxml2 created.
    package let elementCount: Int

    /// libxml2 options: recover from any error, never touch the network, keep quiet. HUGE raises
    /// the nesting limit from 256 to 2048 (pages with hundreds of unclosed inline tags exist; at the
    /// limit libxml2 stops parsing and the rest of the page would be lost).
    static let parseOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_HUGE.rawValue)

    private static let initialize: Void = {
        xmlInitParser()
        clibxml2_silence_errors()
    }()

    /// Parses `bytes` in any encoding; `declaredCharset` is the HTTP header's charset, if any.
    public convenience init(bytes: Data, declaredCharset: String? = nil, url: String? = nil,
                            maxBytes: Int = 50_000_000) throws(HTMLError) {
        try self.init(bytes: bytes, declaredCharset: declaredCharset, url: url, maxBytes: maxBytes,
                      limits: .standard, deadline: ExtractDeadline(seconds: CleanConfig().timeBudgetSeconds))
    }

    /// Parses `bytes` within `limits`, failing with `.timeBudgetExceeded` when `deadline` passes.
    package init(bytes: Data, declaredCharset: String?, url: String?, maxBytes: Int, limits: ExtractLimits,
         deadline: ExtractDeadline) throws(HTMLError) {
        let result: Result<Parsed, HTMLError> = bytes.withUnsafeBytes { raw in
            Result { () throws(HTMLError) in
                try Self.parse(raw, declaredCharset: declaredCharset, url: url, maxBytes: maxBytes, limits: limits,
                               deadline: deadline)
            }
        }
        let parsed = try result.get()
        doc = parsed.doc
        charset = parsed.charset
        parsedBytes = parsed.bytes
        elementCount = parsed.elements
    }

    deinit { xmlFreeDoc(doc) }

    private struct Parsed {
        var doc: htmlDocPtr
        var charset: Charset
        var bytes: Int
        var elements: Int
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, declaredCharset: String?, url: String?, maxBytes: Int,
                              limits: ExtractLimits, deadline: ExtractDeadline) throws(HTMLError) -> Parsed {
        _ = initialize
        if raw.count > maxBytes { throw .tooLarge(bytes: raw.count, limit: maxBytes) }
        if raw.isEmpty { throw .empty }
        if BinarySniffer.looksBinary(raw) { throw .notHTML(reason: "binary data") }
        let charset = Charset.decide(raw, declared: declaredCharset)
        let (parser, bytes) = try prepare(raw, charset: charset, url: url, limits: limits)
        try deadline.check(.decode)
        switch parser.parse(maxNodes: limits.nodes, seconds: deadline.remaining) {
        case .success(let (doc, elements)):
            return Parsed(doc: doc, charset: charset, bytes: bytes, elements: elements)
        case .failure(.nodeLimit): throw .tooManyNodes(limit: limits.nodes)
        case .failure(.deadline): throw .timeBudgetExceeded(stage: .parse, seconds: deadline.seconds)
        case .failure(.noDocument): throw .notHTML(reason: "libxml2 could not build a document")
        }
    }

    /// Decodes to UTF-8 and applies the attribute limits, then hands the bytes to a parser, which
    /// copies them: the copies made here are freed before the parse.
    private static func prepare(_ raw: UnsafeRawBufferPointer, charset: Charset, url: String?,
                                limits: ExtractLimits) throws(HTMLError) -> (HTMLParser, Int) {
        let converted = Transcoder.toUTF8IfChanged(raw, charset: charset)
        let result: Result<(HTMLParser, Int), HTMLError> = withBytes(converted, raw, charset) { utf8 in
            Result { () throws(HTMLError) in
                guard utf8.contains(where: { $0 > 32 }) else { throw .empty }
                let plan = try TagLimiter.plan(utf8, limits: limits)
                let parser: HTMLParser?
                var count = plan.length
                if plan.cuts.isEmpty {
                    let read = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[..<plan.length])
                    parser = HTMLParser(copying: read, url: url, options: parseOptions)
                } else {
                    let limited = TagLimiter.apply(plan, to: utf8)
                    count = limited.count
                    parser = limited.withUnsafeBytes { HTMLParser(copying: $0, url: url, options: parseOptions) }
                }
                guard let parser else { throw .notHTML(reason: "libxml2 could not build a document") }
                return (parser, count)
            }
        }
        return try result.get()
    }

    /// Calls `body` with the converted bytes, or with `raw` after its byte-order mark when nothing was converted.
    private static func withBytes<R>(_ converted: [UInt8]?, _ raw: UnsafeRawBufferPointer, _ charset: Charset,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let converted { return converted.withUnsafeBufferPointer(body) }
        let rest = UnsafeRawBufferPointer(rebasing: raw[min(charset.bomLength, raw.count)...])
        return body(UnsafeBufferPointer(start: rest.baseAddress?.assumingMemoryBound(to: UInt8.self), count: rest.count))
    }

    /// The root element (`<html>`), if the page has one.
    package var root: Node? { Node(xmlDocGetRootElement(doc)) }

    /// The first `<head>` and `<body>` elements under the root.
    package var head: Node? { root.flatMap { firstChild(of: $0, tag: .head) } }
    package var body: Node? { root.flatMap { firstChild(of: $0, tag: .body) } }

    private func firstChild(of node: Node, tag: Tag) -> Node? {
        var c = node.firstChild
        while let n = c {
            if n.tag == tag { return n }
            c = n.next
        }
        return nil
    }

    /// Serialises a node (and its subtree) as HTML in UTF-8.
    package func html(of node: Node) -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        htmlNodeDump(buffer, doc, node.raw)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }
}

/// Recognises data that cannot be an HTML page (images, archives, executables, PDFs).
package enum BinarySniffer {
    package static func looksBinary(_ raw: UnsafeRawBufferPointer) -> Bool {
        let n = min(raw.count, 1024)
        if n == 0 { return false }
        let magics: [[UInt8]] = [
            [0x25, 0x50, 0x44, 0x46], [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], [0x47, 0x49, 0x46, 0x38],
            [0x50, 0x4B, 0x03, 0x04], [0x1F, 0x8B], [0x7F, 0x45, 0x4C, 0x46], [0x42, 0x5A, 0x68],
        ]
        for m in magics where raw.count >= m.count && zip(m, raw).allSatisfy({ $0 == $1 }) { return true }
        if Charset.fromBOM(raw).map({ $0.name.hasPrefix("UTF-16") }) == true { return false }
        // Control bytes (other than whitespace and ESC) are absent from text; random or
        // compressed data has about one in ten.
        var control = 0
        for i in 0..<n {
            let b = raw[i]
            if b < 9 || (b > 13 && b < 32 && b != 27) || b == 127 { control += 1 }
        }
        return control * 50 > n
    }
}

extension HTMLDocument {
    /// Parses `bytes` with libxml2 alone (encoding given, no charset work, no cleaning) and frees
    /// the tree: the baseline the extraction benchmark compares against.
    public static func parseOnly(_ bytes: Data, encoding: String = "UTF-8") {
        _ = initialize
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            let doc = htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), nil,
                                     encoding, parseOptions)
            if let doc { xmlFreeDoc(doc) }
        }
    }
}
