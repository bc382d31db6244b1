import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A borrowed view of one libxml2 node, valid only while its `HTMLDocument` lives.
///
/// Package access only: it never leaves the cleaning and normalizing code, and its libxml2 pointer stays here.
package struct Node: Hashable {
    package let raw: xmlNodePtr

    @inlinable @inline(__always) package init(_ raw: xmlNodePtr) { self.raw = raw }
    @inlinable @inline(__always) package init?(_ raw: xmlNodePtr?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    @inlinable @inline(__always) package static func == (a: Node, b: Node) -> Bool { a.raw == b.raw }
    @inlinable @inline(__always) package func hash(into hasher: inout Hasher) { hasher.combine(raw) }

    @inlinable @inline(__always) package var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }
    @inlinable @inline(__always) package var isText: Bool {
        let t = raw.pointee.type
        return t == XML_TEXT_NODE || t == XML_CDATA_SECTION_NODE
    }
    @inlinable @inline(__always) package var firstChild: Node? { Node(raw.pointee.children) }
    @inlinable @inline(__always) package var lastChild: Node? { Node(raw.pointee.last) }
    @inlinable @inline(__always) package var next: Node? { Node(raw.pointee.next) }
    @inlinable @inline(__always) package var previous: Node? { Node(raw.pointee.prev) }
    @inlinable @inline(__always) package var parent: Node? {
        guard let p = raw.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Node(p)
    }

    /// The parent of any kind (an element or the document), nil at the top.
    @inlinable @inline(__always) package var anyParent: Node? { Node(raw.pointee.parent) }

    /// A number a scan keeps on the node (libxml2's `_private` slot); 0 until set.
    @inlinable @inline(__always) package var scanIndex: Int {
        get { clibxml2_get_index(raw) }
        nonmutating set { clibxml2_set_index(raw, newValue) }
    }

    /// Lends `body` each named attribute's NUL-terminated name and value bytes, in order, without copying.
    @inlinable @inline(__always)
    package func forEachAttribute(_ body: (_ name: UnsafePointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void) {
        var a = raw.pointee.properties
        while let attr = a {
            a = attr.pointee.next
            guard let name = attr.pointee.name else { continue }
            if let t = attr.pointee.children, let c = t.pointee.content {
                body(name, UnsafeBufferPointer(start: c, count: strlen(c)))
            } else {
                body(name, UnsafeBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// The element's tag (`.other` for unknown elements and non-elements).
    @inlinable @inline(__always) package var tag: Tag { isElement ? Tag.lookup(raw.pointee.name) : .other }

    /// The element's name as libxml2 stores it (lower-case for HTML).
    package var name: String { raw.pointee.name.map { String(cString: $0) } ?? "" }

    /// A text node's bytes, without copying; nil for elements.
    @inlinable @inline(__always) package var contentBytes: UnsafePointer<UInt8>? { raw.pointee.content.map { UnsafePointer($0) } }

    /// The raw bytes of an attribute value, lent to `body` without copying.
    @inlinable @inline(__always)
    package func withAttribute<R>(_ attr: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
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
    @inlinable
    package func attribute(_ name: String) -> String? {
        withAttribute(name) { String(decoding: $0, as: UTF8.self) }
    }

    @inlinable
    package func hasAttribute(_ name: String) -> Bool { withAttribute(name) { _ in true } ?? false }

    /// Every descendant text, concatenated in document order (iterative walk).
    package var textContent: String {
        var out = [UInt8]()
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    package func appendText(to out: inout [UInt8]) {
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
    @inlinable @inline(__always)
    package func nextInPreorder(within root: Node) -> Node? {
        var n = self
        while true {
            if n == root { return nil }
            if let s = n.next { return s }
            guard let p = n.raw.pointee.parent else { return nil }
            n = Node(p)
        }
    }

    /// Unlinks this node from the tree and frees it with its subtree.
    package func remove() {
        xmlUnlinkNode(raw)
        xmlFreeNode(raw)
    }
}

@usableFromInline @inline(__always)
func strlen(_ p: UnsafePointer<UInt8>) -> Int {
    UnsafeRawPointer(p).withMemoryRebound(to: CChar.self, capacity: 1) { Int(bitPattern: UInt(strlen($0))) }
}

/// Compares a NUL-terminated C string with an ASCII Swift string.
@inlinable @inline(__always)
package func strcmpBytes(_ c: UnsafePointer<UInt8>, _ s: String) -> Bool {
    var i = 0
    for b in s.utf8 {
        if c[i] != b { return false }
        i += 1
    }
    return c[i] == 0
}

@inlinable @inline(__always)
package func cStringLength(_ p: UnsafePointer<UInt8>) -> Int { strlen(p) }

extension Node {
    /// Calls `body` with the name and value of each attribute whose name starts with the byte
    /// `first` and passes `accept`, in order; looks at 64 attributes at most.
    @inlinable
    package func forEachAttribute(startingWith first: UInt8, where accept: (UnsafeBufferPointer<UInt8>) -> Bool,
                                  _ body: (String, String) -> Void) {
        var p = raw.pointee.properties
        var count = 0
        while let a = p, count < 64 {
            if let name = a.pointee.name, name.pointee == first,
               accept(UnsafeBufferPointer(start: name, count: strlen(name))) {
                let value = a.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
                body(String(cString: name), value)
            }
            p = a.pointee.next
            count += 1
        }
    }
}
