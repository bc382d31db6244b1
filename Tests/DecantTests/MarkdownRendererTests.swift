import Testing
@testable import DecantExtract

/// Blocks render as GitHub-flavoured Markdown; the text leaves captions and images out.
@Suite struct MarkdownRendererTests {
    static let blocks: [ContentBlock] = [
        ContentBlock(kind: .heading(level: 2), text: "Plan", markdown: "Plan"),
        ContentBlock(kind: .paragraph, text: "See the plan.", markdown: "See the [plan](https://x.example/p)."),
        ContentBlock(kind: .listItem(depth: 0, number: nil), text: "one"),
        ContentBlock(kind: .listItem(depth: 1, number: nil), text: "nested"),
        ContentBlock(kind: .listItem(depth: 0, number: nil), text: "two"),
        ContentBlock(kind: .quote, text: "Quoted words"),
        ContentBlock(kind: .code(language: "swift"), text: "let a = 1\n    b()"),
        ContentBlock(kind: .tableRow(header: true), text: "Year | Cost", markdown: "Year | Cost", cells: ["Year", "Cost"]),
        ContentBlock(kind: .tableRow(header: false), text: "2015 | a|b", markdown: "2015 | a\\|b", cells: ["2015", "a|b"]),
        ContentBlock(kind: .image(src: "https://x.example/i.jpg", alt: "A bridge"), text: ""),
        ContentBlock(kind: .caption, text: "The bridge"),
    ]

    @Test func everyKindOfBlockRendersAsMarkdown() {
        let md = MarkdownRenderer.render(Self.blocks)
        #expect(md == """
            ## Plan

            See the [plan](https://x.example/p).

            - one
              - nested
            - two

            > Quoted words

            ```swift
            let a = 1
                b()
            ```

            | Year | Cost |
            | --- | --- |
            | 2015 | a\\|b |

            ![A bridge](https://x.example/i.jpg)

            *The bridge*
            """)
    }

    @Test func orderedListsAreNumberedAndATableWithoutHeaderUsesItsFirstRow() {
        let md = MarkdownRenderer.render([
            ContentBlock(kind: .listItem(depth: 0, number: 1), text: "first"),
            ContentBlock(kind: .listItem(depth: 0, number: 2), text: "second"),
            ContentBlock(kind: .tableRow(header: false), text: "a | b", cells: ["a", "b"]),
            ContentBlock(kind: .tableRow(header: false), text: "c", cells: ["c"]),
        ])
        #expect(md == "1. first\n2. second\n\n| a | b |\n| --- | --- |\n| c |  |")
    }

    @Test func theTitleLeadsUnlessTheFirstHeadingIsTheTitle() {
        let body = [ContentBlock(kind: .paragraph, text: "Body")]
        #expect(MarkdownRenderer.render(body, title: "Title") == "# Title\n\nBody")
        let headed = [ContentBlock(kind: .heading(level: 1), text: "Title")] + body
        #expect(MarkdownRenderer.render(headed, title: "Title") == "# Title\n\nBody")
    }

    @Test func theTextLeavesOutCaptionsAndImages() {
        let text = TextRenderer.render(Self.blocks)
        #expect(!text.contains("The bridge"))
        #expect(text.hasPrefix("Plan\n\nSee the plan.\n\none"))
    }
}
