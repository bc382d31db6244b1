/// Reads `PageMetadata` from a parsed page. (Placeholder: title only; replaced by the full reader.)
enum MetadataReader {
    static func read(_ doc: HTMLDocument, pageURL: String?) -> PageMetadata {
        var meta = PageMetadata()
        if let head = doc.head {
            var c = head.firstChild
            while let n = c {
                if n.tag == .title { meta.title = n.textContent }
                c = n.next
            }
        }
        return meta
    }
}
