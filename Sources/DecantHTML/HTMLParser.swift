import CLibXML2

/// One libxml2 HTML parse under a node limit and a deadline; owns the parser context.
///
/// The context takes its own copy of the bytes, so the caller may free its buffer before `parse`.
final class HTMLParser {
    /// Why a parse ended without a document.
    enum Failure: Error, Equatable {
        case nodeLimit
        case deadline
        case noDocument
    }

    private let context: htmlParserCtxtPtr
    private let budget: UnsafeMutablePointer<clibxml2_budget>

    /// Sets up a parse of `bytes` (UTF-8, no NUL bytes); nil when libxml2 is out of memory.
    init?(copying bytes: UnsafeRawBufferPointer, url: String?, options: Int32) {
        guard let base = bytes.baseAddress, bytes.count <= Int(Int32.max) else { return nil }
        let made = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { p in
            clibxml2_html_context(p, Int32(bytes.count), url, options)
        }
        guard let made else { return nil }
        context = made
        budget = .allocate(capacity: 1)
    }

    deinit {
        htmlFreeParserCtxt(context)
        budget.deallocate()
    }

    /// Parses; the caller owns the returned document. `elements` is how many elements it has.
    func parse(maxNodes: Int, seconds: Double) -> Result<(doc: htmlDocPtr, elements: Int), Failure> {
        let doc = clibxml2_html_parse(context, budget, seconds, maxNodes)
        switch budget.pointee.stop {
        case CLIBXML2_NODE_LIMIT: return .failure(.nodeLimit)
        case CLIBXML2_DEADLINE: return .failure(.deadline)
        default: break
        }
        guard let doc else { return .failure(.noDocument) }
        return .success((doc, Int(budget.pointee.elements)))
    }
}
