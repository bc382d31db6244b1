import Foundation
import Testing
@testable import Decant

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
        #expect(c.name == "WINDOWS-1251" && c.source == .declared)
    }

    @Test func metaCharsetAndHttpEquivAreRead() {
        #expect(Self.decide(Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">".utf8)).name == "KOI8-R")
        #expect(Self.decide(Array("<META CHARSET='shift_jis'>".utf8)).name == "CP932")
    }

    @Test func latin1AndAsciiLabelsMeanWindows1252() {
        #expect(Charset.normalizedLabel("ISO-8859-1") == "WINDOWS-1252")
        #expect(Charset.normalizedLabel("us-ascii") == "WINDOWS-1252")
        #expect(Charset.normalizedLabel("gb2312") == "GB18030")
        #expect(Charset.normalizedLabel("not-a-charset") == nil)
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
        #expect(Self.decide([0x41, 0xE9, 0x42]).name == "WINDOWS-1252")
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
            Transcoder.toUTF8($0, charset: Charset(name: "UTF-8", source: .declared))
        }
        #expect(String(decoding: out, as: UTF8.self) == "a\u{FFFD}b")
    }

    @Test func controlCharactersBecomeSpacesSoLibxml2DoesNotStop() {
        let out = [UInt8]([0x61, 0x00, 0x62, 0x09, 0x63]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(name: "UTF-8", source: .utf8Valid))
        }
        #expect(out == [0x61, 0x20, 0x62, 0x09, 0x63])
    }

    @Test func windows1251IsConverted() {
        let out = [UInt8]([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]).withUnsafeBytes {
            Transcoder.toUTF8($0, charset: Charset(name: "WINDOWS-1251", source: .declared))
        }
        #expect(String(decoding: out, as: UTF8.self) == "Привет")
    }
}
