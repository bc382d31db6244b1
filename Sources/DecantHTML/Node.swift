import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A borrowed view of one libxml2 node, valid only while its `HTMLDocument` lives.
///
/// Internal to the library: it never leaves the cleaning and normalizing code.
struct Node: Hashable {
    let raw: xmlNodePtr

    @inline(__always) init(_ raw: xmlNodePtr) { self.raw = raw }
    @inline(__always) init?(_ raw: xmlNodePtr?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    @inline(__always) var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }
    @inline(__always) var isText: Bool {
        let t = raw.pointee.type
        return t == XML_TEXT_NODE || t == XML_CDATA_SECTION_NODE
    }
    @inline(__always) var firstChild: Node? { Node(raw.pointee.children) }
    @inline(__always) var lastChild: Node? { Node(raw.pointee.last) }
    @inline(__always) var next: Node? { Node(raw.pointee.next) }
    @inline(__always) var previous: Node? { Node(raw.pointee.prev) }
    @inline(__always) var parent: Node? {
        guard let p = raw.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Node(p)
    }

    /// The element's tag (`.other` for unknown elements and non-elements).
    @inline(__always) var tag: Tag { isElement ? Tag.lookup(raw.pointee.name) : .other }

    /// The element's name as libxml2 stores it (lower-case for HTML).
    var name: String { raw.pointee.name.map { String(cString: $0) } ?? "" }

    /// A text node's bytes, without copying; nil for elements.
    @inline(__always) var contentBytes: UnsafePointer<UInt8>? { raw.pointee.content.map { UnsafePointer($0) } }

    /// The raw bytes of an attribute value, lent to `body` without copying.
    @inline(__always)
    func withAttribute<R>(_ attr: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        var p = raw.pointee.properties
        while let a = p {
            if let n = a.pointee.name, strcmpBytes(n, attr) {
                guard let text = a.pointee.children, let content = text.pointee.content else {
                    return body(UnsafeBufferPointer(start: nil, count: 0))
                }
                return body(UnsafeBufferPointer(start: content, count: strlen(content)))
            }
            p = a.pointee.next
        }
        return nil
    }

    /// An attribute's value as a String (nil when absent).
    func attribute(_ name: String) -> String? {
        withAttribute(name) { String(decoding: $0, as: UTF8.self) }
    }

    func hasAttribute(_ name: String) -> Bool { withAttribute(name) { _ in true } ?? false }

    /// Every descendant text, concatenated in document order (iterative walk).
    var textContent: String {
        var out = [UInt8]()
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendText(to out: inout [UInt8]) {
        if isText {
            if let c = contentBytes { out.append(contentsOf: UnsafeBufferPointer(start: c, count: strlen(c))) }
            return
        }
        var cur = firstChild
        while let n = cur {
            if n.isText, let c = n.contentBytes {
                out.append(contentsOf: UnsafeBufferPointer(start: c, count: strlen(c)))
            }
            if n.isElement, let child = n.firstChild { cur = child; continue }
            cur = n.nextInPreorder(within: self)
        }
    }

    /// The next node after this one's subtree in document order, staying inside `root`.
    @inline(__always)
    func nextInPreorder(within root: Node) -> Node? {
        var n = self
        while true {
            if n == root { return nil }
            if let s = n.next { return s }
            guard let p = n.raw.pointee.parent else { return nil }
            n = Node(p)
        }
    }

    /// Unlinks this node from the tree and frees it with its subtree.
    func remove() {
        xmlUnlinkNode(raw)
        xmlFreeNode(raw)
    }
}

@inline(__always)
private func strlen(_ p: UnsafePointer<UInt8>) -> Int {
    UnsafeRawPointer(p).withMemoryRebound(to: CChar.self, capacity: 1) { Int(bitPattern: UInt(strlen($0))) }
}

/// Compares a NUL-terminated C string with an ASCII Swift string.
@inline(__always)
func strcmpBytes(_ c: UnsafePointer<UInt8>, _ s: String) -> Bool {
    var i = 0
    for b in s.utf8 {
        if c[i] != b { return false }
        i += 1
    }
    return c[i] == 0
}

@inline(__always)
func cStringLength(_ p: UnsafePointer<UInt8>) -> Int { strlen(p) }
