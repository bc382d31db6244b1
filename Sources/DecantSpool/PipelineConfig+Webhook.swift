import Foundation
import DecantCore
import DecantFetch

extension PipelineConfig {
    /// Refuses a webhook URL whose host is a literal address (or `localhost`) the fetcher's address
    /// policy refuses, unless `fetch.allowPrivateNetworks` is on: a configuration error naming
    /// `output.webhook.url` (exit 2). Host names are checked again on every connection.
    public func checkWebhookAddress() throws(ConfigError) {
        guard let webhook = output.webhook, !fetch.allowPrivateNetworks,
              let host = URLComponents(string: webhook.url)?.host else { return }
        var bare = host
        if bare.hasPrefix("[") && bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        let lower = bare.lowercased()
        let bytes: [UInt8]? = lower == "localhost" || lower.hasSuffix(".localhost") ? [127, 0, 0, 1] : AddressPolicy.parse(bare)
        guard let bytes, let refusal = AddressPolicy.refusal(for: bytes) else { return }
        throw .invalidValue(keyPath: "output.webhook.url",
                            reason: "points at \(host), a \(refusal.kind.rawValue) address (\(refusal.block)); "
                                + "set fetch.allowPrivateNetworks to allow it")
    }
}
