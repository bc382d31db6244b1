import CLibXML2
import DecantCore
import Foundation

/// A strictly parsed XML document: owns the libxml2 tree and frees it in `deinit`.
///
/// Entities are never substituted (no `XML_PARSE_NOENT`), no DTD is loaded and the network is off,
/// so entity bombs and external entities stay inert; text readers skip entity references.
final class XMLTree {
    private let doc: xmlDocPtr
    /// The document's own URL, the outermost base for relative links.
    let url: String?

    /// Not well-formed XML fails; NOCDATA merges CDATA sections into text.
    static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue)

    private static let unsafeOptions = options | Int32(XML_PARSE_NOENT.rawValue | XML_PARSE_DTDLOAD.rawValue)

    private static let initialize: Void = { xmlInitParser() }()

    /// Parses `bytes` (at most `Int32.max`; the caller applies `SourceLimits.bytes` first).
    /// `unsafeEntities` adds NOENT and DTDLOAD, only so tests can show what the safe options prevent.
    init(bytes: Data, url: String?, unsafeEntities: Bool = false) throws(SourceError) {
        _ = Self.initialize
        if bytes.isEmpty { throw .empty }
        guard bytes.count <= Int(Int32.max) else { throw .tooLarge(limit: Int(Int32.max)) }
        guard let ctxt = xmlNewParserCtxt() else { throw .parserUnavailable }
        defer { xmlFreeParserCtxt(ctxt) }
        let sink = FirstError(context: UnsafeMutableRawPointer(ctxt))
        // The context's own structured error handler (not libxml2's global one) keeps the first error.
        // Entity contents are parsed in child contexts that share `_private`; their errors are skipped,
        // since their lines count from the entity's start (the main context reports the failure too).
        ctxt.pointee._private = Unmanaged.passUnretained(sink).toOpaque()
        ctxt.pointee.sax?.pointee.serror = { userData, error in
            guard let userData, let error else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let sinkPointer = context.pointee._private else { return }
            let sink = Unmanaged<FirstError>.fromOpaque(sinkPointer).takeUnretainedValue()
            if userData == sink.context { sink.record(error.pointee) }
        }
        let parsed: xmlDocPtr? = withExtendedLifetime(sink) {
            bytes.withUnsafeBytes { raw in
                xmlCtxtReadMemory(ctxt, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                                  url, nil, unsafeEntities ? Self.unsafeOptions : Self.options)
            }
        }
        ctxt.pointee._private = nil
        guard let parsed else {
            if let first = sink.error { throw first }
            if let last = xmlCtxtGetLastError(ctxt) { throw FirstError.sourceError(last.pointee) }
            throw .malformedXML(line: 0, column: 0, message: "no document")
        }
        doc = parsed
        self.url = url
    }

    deinit { xmlFreeDoc(doc) }

    /// The root element, if the document has one.
    var root: XMLElement? {
        var child = doc.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { return XMLElement(tree: self, node: c) }
            child = c.pointee.next
        }
        return nil
    }

    /// Keeps the first error libxml2 reports at level error or fatal (later ones follow from it).
    private final class FirstError {
        /// The main parser context, compared by address only.
        let context: UnsafeMutableRawPointer
        var error: SourceError?

        init(context: UnsafeMutableRawPointer) { self.context = context }

        func record(_ e: xmlError) {
            guard error == nil, e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            error = Self.sourceError(e)
        }

        static func sourceError(_ e: xmlError) -> SourceError {
            let message = e.message.map { String(cString: $0) } ?? "error \(e.code)"
            return .malformedXML(line: Int(e.line), column: Int(e.int2), message: message.trimmed)
        }
    }
}

/// A view of one element of an `XMLTree`; it keeps the tree alive, and its node never leaves this file.
struct XMLElement {
    private let tree: XMLTree
    private let node: xmlNodePtr

    fileprivate init(tree: XMLTree, node: xmlNodePtr) {
        self.tree = tree
        self.node = node
    }

    /// The local name, without prefix.
    var name: String { node.pointee.name.map { String(cString: $0) } ?? "" }

    /// The namespace URI, nil for none.
    var namespace: String? { node.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// True when the element is `name` in namespace `namespace` (nil: no namespace).
    func `is`(_ name: String, in namespace: String?) -> Bool {
        guard let raw = node.pointee.name, strcmp(raw, name) == 0 else { return false }
        return self.namespace == namespace
    }

    /// The child elements, in order.
    var children: [XMLElement] {
        var out: [XMLElement] = []
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(XMLElement(tree: tree, node: c)) }
            child = c.pointee.next
        }
        return out
    }

    /// The child elements named `name` in `namespace`.
    func children(_ name: String, in namespace: String?) -> [XMLElement] {
        children.filter { $0.is(name, in: namespace) }
    }

    /// The first child element named `name` in `namespace`.
    func child(_ name: String, in namespace: String?) -> XMLElement? {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE {
                let e = XMLElement(tree: tree, node: c)
                if e.is(name, in: namespace) { return e }
            }
            child = c.pointee.next
        }
        return nil
    }

    /// The text of the element and its descendants (text and CDATA only: entity references are
    /// skipped, never expanded), whitespace collapsed.
    var text: String {
        var bytes: [UInt8] = []
        var current = node.pointee.children
        while let c = current {
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
                }
            case XML_ELEMENT_NODE:
                if let first = c.pointee.children { current = first; continue }
            default:
                break
            }
            // Next sibling, or climb until an ancestor (below this element) has one.
            var up: xmlNodePtr? = c
            current = nil
            while let u = up, u != node {
                if let next = u.pointee.next { current = next; break }
                up = u.pointee.parent
            }
        }
        return String(decoding: bytes, as: UTF8.self).collapsedWhitespace
    }

    /// The trimmed text, nil when empty.
    var nonEmptyText: String? {
        let t = text
        return t.isEmpty ? nil : t
    }

    /// The value of attribute `name` in `namespace` (nil: no namespace), from its text nodes only.
    func attribute(_ name: String, in namespace: String? = nil) -> String? {
        var property = node.pointee.properties
        while let a = property {
            defer { property = a.pointee.next }
            guard let raw = a.pointee.name, strcmp(raw, name) == 0 else { continue }
            let ns = a.pointee.ns?.pointee.href.map { String(cString: $0) }
            guard ns == namespace else { continue }
            var bytes: [UInt8] = []
            var child = a.pointee.children
            while let c = child {
                if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
                }
                child = c.pointee.next
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }

    /// The base URL of this element: the document URL with every `xml:base` from the root down to here applied.
    var base: String? {
        var bases: [String] = []
        var current: xmlNodePtr? = node
        while let c = current, c.pointee.type == XML_ELEMENT_NODE {
            if let b = XMLElement(tree: tree, node: c).attribute("base", in: XMLNamespace.xml) { bases.append(b) }
            current = c.pointee.parent
        }
        var result = tree.url
        for b in bases.reversed() {
            result = URLResolver(base: result).resolve(b) ?? result
        }
        return result
    }

    /// `reference` resolved against this element's base; nil unless the result is an http(s) URL.
    func absoluteURL(_ reference: String?) -> String? {
        guard let reference, !reference.trimmed.isEmpty,
              let resolved = URLResolver(base: base).resolve(reference),
              let scheme = URLResolver.scheme(of: resolved)?.lowercased(),
              scheme == "http" || scheme == "https" else { return nil }
        return resolved
    }
}
