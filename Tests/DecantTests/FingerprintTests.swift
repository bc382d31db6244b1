import Foundation
import Testing
@testable import DecantExtract

/// Fingerprints and ids are stable across runs and platforms and ignore case, punctuation and spacing.
@Suite struct FingerprintTests {
    @Test func fnv1aMatchesKnownVectors() {
        #expect(Fingerprint.hash("") == "cbf29ce484222325")
        #expect(Fingerprint.hash("a") == "af63dc4c8601ec8c")
        #expect(Fingerprint.hash("foobar") == "85944171f73967e8")
    }

    @Test func theNormalisedTextKeepsOnlyLowerCaseLettersAndDigits() {
        #expect(Fingerprint.normalize("  Hello,  World!\n\n2024 — Über ") == "hello world 2024 über")
        #expect(Fingerprint.of(text: "Hello, World!") == Fingerprint.of(text: "hello\n\nworld"))
        #expect(Fingerprint.of(text: "Hello, World!") != Fingerprint.of(text: "Hello, Word!"))
        #expect(Fingerprint.of(text: "Hello") == Fingerprint.hash("hello"))
    }

    @Test func theIdHashesTheNormalisedURLElseUsesTheFingerprint() {
        #expect(ArticleID.of(url: "https://b.example/y", fingerprint: "f") == Fingerprint.hash("https://b.example/y"))
        #expect(ArticleID.of(url: nil, fingerprint: "f") == "f")
        #expect(ArticleID.of(url: "HTTPS://B.Example:443/y#part") == ArticleID.of(url: "https://b.example/y"))
        #expect(ArticleID.of(url: "http://b.example") == ArticleID.of(url: "http://b.example:80/"))
        #expect(ArticleID.of(url: "https://b.example/a/../y?q=%7e") == ArticleID.of(url: "https://b.example/y?q=%7E"))
        #expect(ArticleID.of(url: "https://b.example/y?q=1") != ArticleID.of(url: "https://b.example/y?q=2"))
        #expect(ArticleID.of(url: "https://b.example/Y") != ArticleID.of(url: "https://b.example/y"))
        #expect(Fingerprint.hash("https://a.example/x").count == 16)
    }

    @Test func wordsAreCountedAcrossAllKindsOfWhitespace() {
        #expect(WordCounter.count("") == 0)
        #expect(WordCounter.count("  one two\n\nthree\tfour ") == 4)
        #expect(WordCounter.count("non\u{00A0}breaking\u{2003}em\u{3000}ideo") == 4)
        #expect(WordCounter.count("Über straße") == 2)
    }

    @Test func anExtractedArticleHasItsIdFingerprintAndWordCount() throws {
        let html = "<html><head><link rel=canonical href=\"https://c.example/s\"></head><body><article>"
            + "<p>The council voted on Tuesday to rebuild the old river bridge, ending a long debate.</p></article></body></html>"
        let article = try Extractor().extract(Data(html.utf8), url: "https://c.example/s?utm=1")
        #expect(article.id == ArticleID.of(url: "https://c.example/s?utm=1"))
        #expect(article.canonicalUrl == "https://c.example/s")
        #expect(article.fingerprint == Fingerprint.of(text: article.text))
        #expect(article.wordCount == 15)
    }
}
