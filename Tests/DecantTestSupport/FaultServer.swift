import Foundation

/// The misbehaving HTTP server of `scripts/fault_server.py`, on 127.0.0.1, shared by the fetch tests.
///
/// It exits by itself when this process ends (its stdin closes), so no test has to stop it.
package final class FaultServer: Sendable {
    private let server: ScriptServer
    package var port: Int { server.port }

    /// One server for the whole test run, started on first use; nil when python3 is missing.
    package static let shared: FaultServer? = FaultServer()

    private init?() {
        guard let server = ScriptServer("fault_server.py") else { return nil }
        self.server = server
    }

    package func url(_ path: String, host: String = "127.0.0.1") -> String { "http://\(host):\(port)\(path)" }
}
