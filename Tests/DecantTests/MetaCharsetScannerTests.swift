import Foundation
import Testing
@testable import DecantHTML

/// The HTML Standard's prescan of `<meta>` declarations (§13.2.3.2), case by case. Many cases come from
/// html5lib-tests' encoding suite (tests1.dat, tests2.dat), with the result the prescan itself gives.
@Suite struct MetaCharsetScannerTests {
    static func scan(_ text: String) -> WebEncoding? { scan(Array(text.utf8)) }
    static func scan(_ bytes: [UInt8]) -> WebEncoding? { bytes.withUnsafeBytes { MetaCharsetScanner.scan($0) } }

    static let doctype = "<!DOCTYPE HTML>\n"

    /// (page, the encoding the prescan returns or nil when it finds none)
    static let html5libCases: [(String, WebEncoding?)] = [
        ("<!-- (control test) -->", nil),
        ("<meta charset=\"ISO-8859-1\">", .windows1252),
        ("<meta charset=\"ISO-8859-9\">", .windows1254),
        ("<meta charset='ISO-8859-9'>", .windows1254),
        ("<meta charset=ISO-8859-9>", .windows1254),
        ("<meta\ncharset=ISO-8859-9>", .windows1254),
        ("<metacharset=ISO-8859-9>", nil),
        ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-9\">", .windows1254),
        ("<meta content=\"text/html; charset=ISO-8859-9\" http-equiv=\"Content-Type\">", .windows1254),
        ("<meta http-equiv=\"Content-Type\" content=text/html; charset=ISO-8859-9>", .windows1254),
        ("<meta http-equiv=\"Content-Type content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta http-equiv=\"Content-Type \" content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta http-equiv=\"Content-Type>\" content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta http-equiv=\"Content-Style-Type\" content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta name=\"Content-Style-Type\" content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta content=\"text/html; charset=ISO-8859-9\">", nil),
        ("<meta content=\" text/html; charset = ISO-8859-9 \">", nil),
        ("<meta charset=\"\nISO-8859-9\n\">", .windows1254),
        ("<meta charset=\nISO-8859-9\n>", .windows1254),
        ("<meta charset=\"ISO-8859-9>\n<p>\"</p>", nil),
        ("<meta charset=ISO-8859-9\">\n<p>\"</p>", nil),
        ("<meta \" charset=ISO-8859-9>\n<p>\"</p>", .windows1254),
        ("<meta test\" charset=ISO-8859-9>\n<p>\"</p>", .windows1254),
        ("<meta test=\" charset=ISO-8859-9>\n<p>\"</p>", nil),
        ("<meta test=\"' charset=ISO-8859-9>\n<p>\"'</p>", nil),
        ("<meta test='\" charset=ISO-8859-9>\n<p>'\"</p>", nil),
        ("<meta test=\"\" charset=ISO-8859-9>", .windows1254),
        ("<meta test=x\" charset=ISO-8859-9>\n<p>\"</p>", .windows1254),
        ("<head></head><p title=\"x>\n<meta test=x\" charset=ISO-8859-9>\n<p>\"</p>", nil),
        ("<head></head><p title=\"x>\n<meta charset=ISO-8859-9>\n<p>\"</p>", nil),
        ("<head></head><p title=\"x>\">\n<meta charset=ISO-8859-9>\n<p>\"</p>", .windows1254),
        ("<meta charset=\"ISO-8859-1\">\n<meta charset=\"ISO-8859-9\">", .windows1252),
        ("<meta charset=\"ISO-8859-9\">\n<meta charset=\"ISO-8859-1\">", .windows1254),
        ("<!--<meta charset=\"ISO-8859-1\">-->\n<meta charset=\"ISO-8859-9\">", .windows1254),
        ("<!--<meta charset=\"ISO-8859-9\">-->\n<meta charset=\"ISO-8859-1\">", .windows1252),
        ("<meta", nil),
        ("<", nil),
        ("<!", nil),
        ("<meta charset = \"", nil),
        ("<meta charset=euc-jp", nil),
        ("<meta <meta charset='euc-jp'>", .eucJP),
        ("<meta       charset    =     'euc-jp'>", .eucJP),
        ("<!-- -->\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">", .utf8),
        ("<!-- -->\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf", nil),
        ("<meta http-equiv=\"Content-Type<meta charset=\"utf-8\">", nil),
        ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset='utf-8'\">", .utf8),
        ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset='utf-8\">", nil),  // unmatched quote
        ("<meta" + String(repeating: " ", count: 600), nil),
        ("<meta charset" + String(repeating: " ", count: 600) + "=", nil),
        ("<meta charset=" + String(repeating: " ", count: 600) + "utf-8", nil),
        ("<meta content = \"text/html;", nil),
        ("<meta charset=\"UTF-16\">", .utf8),
        ("<meta charset=\"UTF-16LE\">", .utf8),
        ("<meta charset=\"UTF-16BE\">", .utf8),
        ("<html a=ñ>\n<meta charset=\"utf-8\">", .utf8),
        ("<html ñ>\n<meta charset=\"utf-8\">", .utf8),
        ("<html>ñ\n<meta charset=\"utf-8\">", .utf8),
    ]

    @Test(arguments: html5libCases.indices)
    func html5libEncodingCasesGiveThePrescansAnswer(_ index: Int) {
        let (page, expected) = Self.html5libCases[index]
        #expect(Self.scan(Self.doctype + page) == expected, "\(page.debugDescription)")
    }

    @Test func declarationsTheStandardRejectsAreNotTaken() {
        #expect(Self.scan("<metacharset=koi8-r><p>x") == nil)
        #expect(Self.scan("<meta content=\"text/html; charset=koi8-r\">") == nil, "content= without http-equiv")
        #expect(Self.scan("<meta name=\"description\" content=\"charset=koi8-r\">") == nil)
        #expect(Self.scan("<div title=\"<meta charset=koi8-r>\"></div>") == nil, "inside another attribute's value")
        #expect(Self.scan("<meta property=\"og:x\" data-charset=\"koi8-r\" value=\"charset=koi8-r\">") == nil)
        #expect(Self.scan("<!-- <meta charset=koi8-r> -->") == nil, "inside a comment")
        #expect(Self.scan("</meta charset=koi8-r>") == nil, "an end tag's attributes")
        #expect(Self.scan("<!DOCTYPE html charset=koi8-r>") == nil)
        #expect(Self.scan("<?php charset=koi8-r ?>") == nil)
    }

    @Test func anUnsupportedLabelIsPassedOverForTheNextMeta() {
        #expect(Self.scan("<meta charset=\"utf-7\"><meta charset=\"koi8-r\">") == .koi8r)
        #expect(Self.scan("<meta charset=\"no-such-thing\">\n<meta http-equiv=content-type content=\"text/html;charset=koi8-r\">")
                == .koi8r)
    }

    @Test func theCharsetAttributeDecidesItsMetaEvenWithABadLabel() {
        // charset sets "need pragma" to false and, with a label that names nothing, fails that <meta>.
        #expect(Self.scan("<meta charset=\"bogus\" http-equiv=\"content-type\" content=\"text/html; charset=koi8-r\">") == nil)
        #expect(Self.scan("<meta http-equiv=\"content-type\" content=\"text/html; charset=koi8-r\" charset=\"bogus\">") == nil)
        // A later content= does not replace a charset= already read.
        #expect(Self.scan("<meta charset=\"koi8-r\" http-equiv=\"content-type\" content=\"charset=windows-1251\">") == .koi8r)
        // Repeated attributes count once: the first http-equiv decides.
        #expect(Self.scan("<meta http-equiv=\"x\" http-equiv=\"content-type\" content=\"charset=koi8-r\">") == nil)
        #expect(Self.scan("<meta http-equiv=\"content-type\" http-equiv=\"x\" content=\"charset=koi8-r\">") == .koi8r)
    }

    @Test func metaTagsAreReadAsTheStandardTokenisesThem() {
        #expect(Self.scan("<META CHARSET=KOI8-R>") == .koi8r)
        #expect(Self.scan("<meta/charset=koi8-r>") == .koi8r)
        #expect(Self.scan("<meta\tcharset\t=\t\"\tkoi8-r\t\">") == .koi8r)
        #expect(Self.scan("<meta\u{0B}charset=koi8-r>") == nil, "vertical tab is not a prescan space")
        #expect(Self.scan("<!--><meta charset=koi8-r>") == .koi8r, "<!--> is a whole comment")
        #expect(Self.scan("<!---><meta charset=koi8-r>") == .koi8r)
        #expect(Self.scan("<!-- a -- b --><meta charset=koi8-r>") == .koi8r)
        #expect(Self.scan("<a href=x><meta charset=koi8-r>") == .koi8r)
        #expect(Self.scan("<meta http-equiv=Content-Type content='text/html; charset = \"koi8-r\"'>") == .koi8r)
        #expect(Self.scan("<meta http-equiv=content-type content='charsetx; charset=koi8-r'>") == .koi8r)
    }

    @Test func utf16AndUserDefinedLabelsAreReplaced() {
        #expect(Self.scan("<meta charset=utf-16le>") == .utf8)
        #expect(Self.scan("<meta charset=x-user-defined>") == .windows1252)
        #expect(Self.scan("<meta charset=iso-2022-kr>") == .replacement)
    }

    @Test func onlyTheFirst1024BytesAreScanned() {
        let meta = "<meta charset=\"koi8-r\">"
        let fits = String(repeating: " ", count: 1024 - meta.utf8.count) + meta
        #expect(Self.scan(fits) == .koi8r)
        #expect(Self.scan(" " + fits) == nil, "a <meta> that ends past byte 1024")
        let comment = "<!--" + String(repeating: "x", count: 1024) + "-->"
        #expect(Self.scan(comment + meta) == nil)
        let shortComment = "<!--" + String(repeating: "x", count: 500) + "-->"
        #expect(Self.scan(shortComment + meta) == .koi8r)
    }

    @Test func anXMLDeclarationAnswersWhenNoMetaDoes() {
        #expect(Self.scan("<?xml version=\"1.0\" encoding=\"windows-1251\"?><html><p>x") == .windows1251)
        #expect(Self.scan("<?xml version='1.0' encoding = 'koi8-r'?>") == .koi8r)
        #expect(Self.scan("<?xml version=\"1.0\" encoding=\"UTF-16\"?>") == .utf8)
        #expect(Self.scan("<?xml version=\"1.0\" encoding=\"windows-1251\"?><meta charset=\"koi8-r\">") == .koi8r)
        #expect(Self.scan(" <?xml version=\"1.0\" encoding=\"windows-1251\"?>") == nil, "not at the very start")
        #expect(Self.scan("<?xml version=\"1.0\" encoding=\"windows 1251\"?>") == nil)
        #expect(Self.scan("<?xml version=\"1.0\"?><p encoding=\"koi8-r\">") == nil, "after the declaration's end")
        let utf16 = Array("<?xml version=\"1.0\"?>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(Self.scan(utf16) == .utf16le)
    }

    @Test func everyLabelOfTheEncodingStandardNamesItsEncoding() {
        #expect(WebEncoding.labelTable.count == WebEncoding.allCases.count)
        #expect(WebEncoding.byLabel.count == 228)
        for (encoding, labels) in WebEncoding.labelTable {
            for label in labels {
                #expect(WebEncoding(label: label) == encoding, "\(label)")
                #expect(WebEncoding(label: " \t" + label.uppercased() + "\n\u{0C}") == encoding, "\(label)")
            }
        }
        #expect(WebEncoding(label: "cp932") == nil, "not a label of the standard")
        #expect(WebEncoding(label: "utf-7") == nil)
        #expect(WebEncoding(label: "\u{0B}utf-8") == nil, "vertical tab is not ASCII whitespace")
        #expect(WebEncoding(label: "ut\u{0130}f-8") == nil)
        #expect(WebEncoding(label: "sjis")?.name == "Shift_JIS")
        #expect(WebEncoding(label: "ks_c_5601-1987")?.name == "EUC-KR")
        #expect(WebEncoding(label: "gb2312")?.name == "GBK")
        #expect(WebEncoding(label: "big5-hkscs")?.name == "Big5")
    }
}
