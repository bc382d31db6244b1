import DecantHTML
/// A human-readable account of the cleaner's decisions, for `decant extract --explain`.
extension Cleaner {
    func explain(_ doc: HTMLDocument, metadata: PageMetadata, contentRoots: [Node]? = nil) -> String {
        guard let body = doc.body ?? doc.root else { return "no body\n" }
        var out = ""
        for (k, rules) in Self.attempts.enumerated() {
            let scan = DocumentScan(root: body, rules: rules, parameters: parameters)
            defer { scan.reset() }
            let scorer = ContentScorer(scan: scan)
            out += "attempt \(k + 1): \(rules)\n"
            var ranked = (0..<scan.count).filter { scan.score[$0] > 0 && !scan.flags[$0].contains(.inDrop) }
            ranked.sort { scorer.finalScore($0) > scorer.finalScore($1) }
            for i in ranked.prefix(40) {
                out += "  candidate \(describe(scan, i)) score \(scorer.finalScore(i)) ld \(scan.linkDensity(i)) good \(scan.goodText[i])\n"
            }
            let roots = contentRoots.map { Self.scanRoots($0, scan) } ?? scorer.select()
            for r in roots { out += "  root \(path(scan, r))\(contentRoots == nil ? "" : " (site rule)")\n" }
            let filter = BlockFilter(scan: scan, roots: roots)
            for r in roots {
                var i = r
                while i < Int(scan.end[r]) {
                    if filter.isRemoved(i) {
                        if scan.text[i] >= 40 {
                            let snippet = String(scan.nodes[i].textContent.split(whereSeparator: \.isWhitespace)
                                .joined(separator: " ").prefix(70))
                            out += "    removed \(describe(scan, i)) [\(scan.text[i]) chars] \(snippet)\n"
                        }
                        i = Int(scan.end[i])
                    } else {
                        i += 1
                    }
                }
            }
        }
        return out
    }

    private func describe(_ scan: DocumentScan, _ i: Int) -> String {
        let n = scan.nodes[i]
        var s = n.name
        if let c = n.attribute("class"), !c.isEmpty { s += "." + c.split(separator: " ").joined(separator: ".") }
        if let id = n.attribute("id"), !id.isEmpty { s += "#" + id }
        return String(s.prefix(80))
    }

    private func path(_ scan: DocumentScan, _ i: Int) -> String {
        var parts: [String] = []
        var a = i
        while a >= 0 { parts.append(describe(scan, a)); a = Int(scan.parent[a]) }
        return parts.joined(separator: " < ")
    }
}
