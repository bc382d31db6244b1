import Foundation
import Testing
@testable import DecantCore
@testable import DecantHTML
@testable import DecantExtract
import DecantTestSupport

@Suite struct CharsetTests {
    static func decide(_ bytes: [UInt8], declared: String? = nil) -> Charset {
        bytes.withUnsafeBytes { Charset.decide($0, declared: declared) }
    }

    @Test func aByteOrderMarkWinsOverEverything() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<meta charset=\"windows-1251\">x".utf8)
        let c = Self.decide(bytes, declared: "iso-8859-2")
        #expect(c.name == "UTF-8" && c.source == .bom && c.bomLength == 3)
    }

    @Test func theCallersCharsetWinsOverMeta() {
        let bytes: [UInt8] = Array("<meta charset=\"utf-8\"><p>".utf8) + [0xCF, 0xF0, 0xE8]
        let c = Self.decide(bytes, declared: "windows-1251")
        #expect(c.name == "windows-1251" && c.source == .declared)
    }

    @Test func metaCharsetAndHttpEquivAreRead() {
        #expect(Self.decide(Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">".utf8)).name == "KOI8-R")
        #expect(Self.decide(Array("<META CHARSET='shift_jis'>".utf8)).name == "Shift_JIS")
    }

    @Test func latin1AndAsciiLabelsMeanWindows1252() {
        #expect(WebEncoding(label: "ISO-8859-1") == .windows1252)
        #expect(WebEncoding(label: "us-ascii") == .windows1252)
        #expect(WebEncoding(label: "gb2312") == .gbk)
        #expect(WebEncoding(label: "not-a-charset") == nil)
    }

    @Test(arguments: [
        ("shift_jis", "Shift_JIS"), ("ms932", "Shift_JIS"), ("ks_c_5601-1987", "EUC-KR"), ("windows-949", "EUC-KR"),
        ("cp1251", "windows-1251"), ("latin2", "ISO-8859-2"), ("gb2312", "GBK"), ("GB18030", "gb18030"),
        ("big5-hkscs", "Big5"), ("x-euc-jp", "EUC-JP"), ("csiso2022jp", "ISO-2022-JP"), ("koi8", "KOI8-R"),
        ("utf8", "UTF-8"), ("iso-8859-9", "windows-1254"), ("tis-620", "windows-874"), ("mac", "macintosh"),
    ])
    func decisionsAreNamedAsTheEncodingStandardNamesThem(_ label: String, _ name: String) {
        #expect(Self.decide(Array("<p>plain text".utf8), declared: label).name == name)
        #expect(Self.decide(Array("<meta charset=\"\(label)\"><p>plain text".utf8)).name == name)
    }

    @Test func anUnknownHTTPLabelFallsThroughToTheMeta() {
        let c = Self.decide(Array("<meta charset=\"koi8-r\"><p>x".utf8), declared: "cp850")
        #expect(c.name == "KOI8-R" && c.source == .meta)
    }

    @Test func theBOMWinsThenTheHeaderThenTheMeta() {
        let page = Array("<meta charset=\"koi8-r\"><p>x".utf8)
        #expect(Self.decide([0xFE, 0xFF] + page, declared: "windows-1251") == Charset(encoding: .utf16be, source: .bom, bomLength: 2))
        #expect(Self.decide(page, declared: "windows-1251") == Charset(encoding: .windows1251, source: .declared))
        #expect(Self.decide(page) == Charset(encoding: .koi8r, source: .meta))
        #expect(Self.decide(Array("<p>x".utf8)) == Charset(encoding: .utf8, source: .utf8Valid))
    }

    @Test func aFetchedPageReportsTheStandardNameInHttpCharset() throws {
        let expected = try JSONDecoder().decode([String: String].self, from: FixturePaths.data("charsets/expected.json"))
        for (file, label, name) in [("euc-kr", "ks_c_5601-1987", "EUC-KR"), ("shift_jis", "sjis", "Shift_JIS"),
                                    ("windows-1251", "cp1251", "windows-1251")] {
            let page = FetchedPage(url: "http://example.org/a", finalURL: "http://example.org/a", status: 200,
                                   contentType: "text/html", declaredCharset: label,
                                   body: try FixturePaths.data("charsets/\(file).html"))
            let article = try Extractor().extract(page: page)
            #expect(article.http?.charset == name)
            #expect(article.text.contains(try #require(expected[file])), "\(file)")
        }
    }

    @Test func aDeclaredUTF8ThatTheBytesContradictIsIgnored() {
        let bytes: [UInt8] = Array("<meta charset=\"utf-8\"><p>".utf8) + [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]
        #expect(Self.decide(bytes).name != "UTF-8")
    }

    @Test func aStrayLatin1ByteInAUTF8PageKeepsUTF8() {
        var bytes = Array("<meta charset=\"utf-8\"><p>".utf8)
        for _ in 0..<30 { bytes += Array("Grüße aus München ".utf8) }
        bytes += [0xE4]  // one Latin-1 "ä"
        #expect(Self.decide(bytes).name == "UTF-8")
    }

    @Test func aLegacyDeclarationOverTextThatCanOnlyBeUTF8IsOverruled() {
        var bytes = Array("<meta charset=\"iso-8859-1\"><p>".utf8)
        bytes += Array("Ça coûte très cher, déjà à Noël.".utf8)
        #expect(Self.decide(bytes).name == "UTF-8")
    }

    @Test func undeclaredBytesFallBackToWindows1252() {
        #expect(Self.decide([0x41, 0xE9, 0x42]).name == "windows-1252")
    }

    @Test(arguments: ["windows-1251", "shift_jis", "gb18030", "latin1"])
    func undeclaredPagesInLegacyEncodingsComeOutAsCorrectUTF8(_ name: String) throws {
        let expected = try JSONDecoder().decode([String: String].self, from: FixturePaths.data("charsets/expected.json"))
        let article = try Extractor().extract(try FixturePaths.data("charsets/\(name).html"))
        #expect(article.text.contains(try #require(expected[name])))
    }

    @Test func theHTTPCharsetWinsOverAConflictingMeta() throws {
        let expected = try JSONDecoder().decode([String: String].self, from: FixturePaths.data("charsets/expected.json"))
        let page = try FixturePaths.data("charsets/conflict-meta-utf8-body-1251.html")
        let article = try Extractor().extract(page, declaredCharset: "windows-1251")
        #expect(article.text.contains(try #require(expected["windows-1251"])))
    }

    @Test func aWrongLatin1MetaOverUTF8TextIsOverruled() throws {
        let article = try Extractor().extract(try FixturePaths.data("charsets/meta-latin1-body-utf8.html"))
        #expect(article.text.contains("Ça coûte très cher, déjà."))
    }
}

@Suite struct TranscoderTests {
    @Test func invalidUTF8BecomesReplacementCharacters() {
        let out = [UInt8]([0x61, 0xFF, 0x62]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(encoding: .utf8, source: .declared))
        }
        #expect(String(decoding: out, as: UTF8.self) == "a\u{FFFD}b")
    }

    @Test func controlCharactersBecomeSpacesSoLibxml2DoesNotStop() {
        let out = [UInt8]([0x61, 0x00, 0x62, 0x09, 0x63]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(encoding: .utf8, source: .utf8Valid))
        }
        #expect(out == [0x61, 0x20, 0x62, 0x09, 0x63])
    }

    @Test func userDefinedBytesBecomePrivateUseCharacters() {
        let out = [UInt8]([0x61, 0x80, 0xFF]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(encoding: .xUserDefined, source: .declared))
        }
        #expect(String(decoding: out, as: UTF8.self) == "a\u{F780}\u{F7FF}")
    }

    @Test func theReplacementEncodingDecodesToOneReplacementCharacter() {
        let out = Array("<p>\u{1B}$)C text".utf8).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(encoding: .replacement, source: .meta))
        }
        #expect(String(decoding: out, as: UTF8.self) == "\u{FFFD}")
    }

    @Test func everyEncodingHasADecoder() {
        for encoding in WebEncoding.allCases where encoding != .replacement && encoding != .xUserDefined {
            let name = Transcoder.iconvNames[encoding] ?? "(none)"
            let out = Array("abc".utf8).withUnsafeBytes { Transcoder.iconvConvert($0, from: name) }
            #expect(out != nil, "iconv lacks \(name) for \(encoding)")
        }
    }

    @Test func windows1251IsConverted() {
        let out = [UInt8]([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(encoding: .windows1251, source: .declared))
        }
        #expect(String(decoding: out, as: UTF8.self) == "Привет")
    }
}
