import ArgumentParser
import Foundation
import DecantExtract

extension Decant {
    /// `decant extract`: clean saved pages into articles.
    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extract",
            abstract: "Clean saved HTML pages into articles.",
            discussion: """
                With one input and no --out, prints the article. With --out, writes one <id>.json (or <id>.md, \
                <id>.txt for --format markdown, text) per page into the folder (atomically), shows progress on stderr and a summary at the end. \
                .warc and .warc.gz inputs (with --out) are streamed: every HTML response record becomes <id>.json.
                """)

        @Argument(help: "HTML files, folders of them, or - for stdin (.html.gz is read transparently).")
        var inputs: [String] = ["-"]

        @Option(help: "The page's URL: resolves relative links and feeds metadata.")
        var url: String?

        @Option(help: "Output format: json, markdown or text.")
        var format: OutputFormat = .json

        @Option(help: "Batch mode: write one <id>.json, .md or .txt (by --format) per page into this folder.")
        var out: String?

        @Option(help: "Start reading the single WARC input at this byte offset (a gzip member's, as Common Crawl's index gives it).")
        var offset: Int?

        @Option(help: "Pages processed in parallel in batch mode.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: ArgumentHelp("Explain the cleaner's choices on stderr.", visibility: .hidden))
        var explain = false

        @OptionGroup var common: ConfigOption

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if out == nil && inputs.count > 1 {
                throw ValidationError("several inputs need --out DIR (batch mode)")
            }
            if url != nil && inputs.count > 1 {
                throw ValidationError("--url applies to a single page")
            }
            if offset != nil && !(inputs.count == 1 && WARCExtraction.isWARC(inputs[0])) {
                throw ValidationError("--offset applies to a single .warc or .warc.gz input")
            }
        }

        func run() async throws {
            let config = try common.load()
            let extractor = Extractor(options: config.clean)
            if inputs.contains(where: WARCExtraction.isWARC) {
                guard let out, inputs.allSatisfy(WARCExtraction.isWARC) else {
                    throw CLIFailure.usage("WARC inputs need --out DIR and cannot be mixed with HTML pages")
                }
                _ = try await WARCExtraction(extractor: extractor, outputFolder: out, jobs: jobs, offset: offset)
                    .run(inputs: inputs)
                return
            }
            if let out {
                try await BatchExtraction(extractor: extractor, outputFolder: out, jobs: jobs,
                                          url: url, format: format).run(inputs: inputs)
                return
            }
            let input = inputs[0]
            do {
                // The page's bytes are released before the article is rendered (a large page's
                // article, text and rendering are each about its size).
                var article = try { () throws -> Article in
                    let data = try PageInput.read(input, limit: config.clean.maxPageBytes)
                    if explain { FileHandle.standardError.write(Data(try extractor.explain(data, url: url).utf8)) }
                    return try extractor.extract(data, url: url)
                }()
                if url == nil && input != "-" { article.id = ArticleID.of(filePath: input) }
                format.write(article, to: .standardOutput)
            } catch ExtractError.noContent(let metadata) {
                // The page's metadata still goes out as JSON (with `error`); the exit code stays 1.
                if format == .json { format.write(metadata, to: .standardOutput) }
                throw CLIFailure.pageFailed("\(input == "-" ? "stdin" : input): \(ExtractError.noContent(metadata: metadata))")
            } catch {
                throw CLIFailure.pageFailed("\(input == "-" ? "stdin" : input): \(error)")
            }
        }
    }
}

/// The output formats of a single article.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, markdown, text

    /// The file name extension of an article written in this format.
    var fileExtension: String {
        switch self {
        case .json: "json"
        case .markdown: "md"
        case .text: "txt"
        }
    }

    /// The article in this format, without a final newline.
    func body(_ article: Article) -> Data {
        switch self {
        case .json: article.jsonData()
        case .markdown: Data(article.markdownDocument.utf8)
        case .text: Data(article.text.utf8)
        }
    }

    /// The article in this format, with a final newline.
    func render(_ article: Article) -> Data {
        var data = body(article)
        data.append(0x0A)
        return data
    }

    /// Writes the article in this format and a newline, without a second copy of the rendering.
    func write(_ article: Article, to handle: FileHandle) {
        handle.write(body(article))
        handle.write(Data("\n".utf8))
    }
}
