import CLibXML2

/// XPath 1.0 with libxml2's engine: a syntax check for configuration, and evaluation over one `HTMLDocument`.
package enum XPath {
    /// Elements (and other nodes) an evaluation returns at most; the rest of a larger node-set is ignored.
    package static let maxNodes = 10_000
    /// libxml2's operation limit for one evaluation (each step and predicate test counts).
    package static let maxOperations: UInt = 50_000_000

    /// Why `expression` is not a valid XPath, nil when libxml2 compiles it.
    package static func syntaxProblem(_ expression: String) -> String? {
        xmlInitParser()
        clibxml2_silence_errors()
        xmlResetLastError()
        guard let compiled = xmlXPathCompile(expression) else { return lastErrorText() ?? "is not a valid XPath expression" }
        xmlXPathFreeCompExpr(compiled)
        return nil
    }

    /// libxml2's last error message, trimmed, as a reason.
    static func lastErrorText() -> String? {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return nil }
        let text = String(cString: message).trimmingCharacters(in: " \n")
        return text.isEmpty ? nil : "is not a valid XPath expression (\(text))"
    }

    /// What an evaluation gave.
    package enum Value {
        /// A node-set, in document order, cut at `maxNodes` (`truncated` then says so).
        case nodes([Node], truncated: Bool)
        /// A string, number or boolean result, as its XPath string value.
        case text(String)
        /// libxml2 refused to evaluate (an unknown function, the operation limit).
        case failed
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let s = Array(unicodeScalars)
        var a = 0, b = s.count
        while a < b && set.unicodeScalars.contains(s[a]) { a += 1 }
        while b > a && set.unicodeScalars.contains(s[b - 1]) { b -= 1 }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[a..<b])
        return String(out)
    }
}

/// An XPath evaluation context over one document: owns its `xmlXPathContext` and frees it in `deinit`.
///
/// Lives no longer than the `HTMLDocument` it holds; the nodes it returns are that document's.
package final class XPathContext {
    private let context: xmlXPathContextPtr
    private let document: HTMLDocument

    package init?(_ document: HTMLDocument) {
        guard let context = xmlXPathNewContext(document.doc) else { return nil }
        context.pointee.opLimit = XPath.maxOperations
        self.context = context
        self.document = document
    }

    deinit { xmlXPathFreeContext(context) }

    /// Evaluates `expression` against the whole document.
    package func evaluate(_ expression: String) -> XPath.Value {
        context.pointee.opCount = 0
        context.pointee.node = nil
        guard let object = XPathObject(xmlXPathEvalExpression(expression, context)) else { return .failed }
        return object.value
    }

    /// The string value of the first node `expression` selects (or its string result), collapsed; nil when empty.
    package func firstString(_ expression: String) -> String? {
        context.pointee.opCount = 0
        context.pointee.node = nil
        guard let object = XPathObject(xmlXPathEvalExpression(expression, context)),
              let text = object.firstString else { return nil }
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }
}

/// One XPath result: owns its `xmlXPathObject` and frees it in `deinit`.
private final class XPathObject {
    private let object: xmlXPathObjectPtr

    init?(_ object: xmlXPathObjectPtr?) {
        guard let object else { return nil }
        self.object = object
    }

    deinit { xmlXPathFreeObject(object) }

    /// The XPath string value of the first node, or of a string, number or boolean result.
    var firstString: String? {
        let s: UnsafeMutablePointer<xmlChar>?
        if object.pointee.type == XPATH_NODESET {
            guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let first = set.pointee.nodeTab?[0] else {
                return nil
            }
            s = xmlXPathCastNodeToString(first)
        } else {
            s = xmlXPathCastToString(object)
        }
        guard let s else { return nil }
        defer { clibxml2_free(s) }
        return String(cString: s)
    }

    var value: XPath.Value {
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else {
                return .nodes([], truncated: false)
            }
            let count = Int(set.pointee.nodeNr)
            var nodes: [Node] = []
            nodes.reserveCapacity(min(count, XPath.maxNodes))
            for k in 0..<min(count, XPath.maxNodes) {
                if let node = Node(table[k]) { nodes.append(node) }
            }
            return .nodes(nodes, truncated: count > XPath.maxNodes)
        case XPATH_STRING, XPATH_NUMBER, XPATH_BOOLEAN:
            guard let s = xmlXPathCastToString(object) else { return .failed }
            defer { clibxml2_free(s) }
            return .text(String(cString: s))
        default:
            return .failed
        }
    }
}
