import DecantCore
import DecantHTML

extension SiteRules {
    /// Compiles every rule's XPaths with libxml2; the first that does not compile is a
    /// `ConfigError.invalidValue` at its key path (`sites.example.com.content[1]`).
    package func checkXPaths() throws(ConfigError) {
        for host in byHost.keys.sorted() {
            for (suffix, expression) in byHost[host]!.expressions {
                if let problem = XPath.syntaxProblem(expression) {
                    throw .invalidValue(keyPath: "sites.\(host).\(suffix)", reason: problem)
                }
            }
        }
    }
}
