import Foundation
import DecantCore
import DecantExtract

/// What readers other than out/ get of each delivery: a line in the delivery log, a webhook POST.
///
/// The journal queues both in the transaction that marks the URL delivered (`completion`); `after`
/// then appends the line and wakes the webhook sender.
struct DeliveryOutputs: Sendable {
    let delivery: Delivery
    let log: DeliveryLog?
    let webhook: WebhookSender?

    var isEmpty: Bool { log == nil && webhook == nil }

    /// The log line and webhook body of an article just written, nil when neither output is on.
    func completion(for article: Article, at time: Date = Date()) -> Journal.Completion? {
        guard !isEmpty else { return nil }
        return Journal.Completion(
            articleId: article.id, url: article.url ?? "", title: article.title, published: article.published,
            files: files(article.id), time: time.timeIntervalSince1970, log: log != nil,
            webhookBody: webhook != nil ? article.jsonData() + Data("\n".utf8) : nil)
    }

    /// The same, read back from `out/<id>.json` (a delivery completed by start-up recovery).
    func completion(url: String, articleId: String) -> Journal.Completion? {
        guard !isEmpty, let data = FileManager.default.contents(atPath: delivery.articlePath(articleId)) else { return nil }
        struct Head: Decodable { var title: String?; var published: String? }
        let head = (try? JSONDecoder().decode(Head.self, from: data)) ?? Head()
        return Journal.Completion(
            articleId: articleId, url: url, title: head.title ?? "", published: head.published,
            files: files(articleId), time: Date().timeIntervalSince1970, log: log != nil,
            webhookBody: webhook != nil ? data : nil)
    }

    /// The article's files in out/, in the order they are written (`<id>.json` last).
    private func files(_ id: String) -> [String] {
        var names: [String] = []
        if delivery.formats.contains(.markdown) { names.append("\(id).md") }
        if delivery.formats.contains(.text) { names.append("\(id).txt") }
        return names + ["\(id).json"]
    }

    /// After the journal recorded a delivery: appends its log line (a failure leaves it queued for
    /// the next sync) and wakes the webhook sender.
    func after() {
        try? log?.sync()
        webhook?.poke()
    }
}
