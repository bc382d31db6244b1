/// The HTML elements the cleaner and renderers tell apart; everything else is `.other`.
package enum Tag: UInt8, CaseIterable, Sendable {
    case other
    // document
    case html, head, body, title, meta, link, base
    // sections
    case article, main, section, nav, aside, header, footer, address, hgroup
    // blocks
    case div, p, h1, h2, h3, h4, h5, h6, ul, ol, li, dl, dt, dd, blockquote, pre, hr, center
    case table, thead, tbody, tfoot, tr, td, th, caption, colgroup, col
    case figure, figcaption, details, summary, dialog, menu, fieldset, legend
    // inline
    case a, span, em, strong, b, i, u, s, small, big, sub, sup, code, kbd, samp, `var`, mark, q, cite
    case abbr, time, br, wbr, img, picture, source, font, del, ins, label, data, bdi, bdo, tt
    // dropped
    case script, style, noscript, template, iframe, frame, frameset, object, embed, applet, canvas, svg, math
    case form, input, button, select, option, optgroup, textarea, output, datalist, video, audio, track, map, area
    case param, rt, rp

    /// The tag's HTML name.
    package var name: String { self == .var ? "var" : String(describing: self) }

    /// Looks up a libxml2 element name (lower-case, NUL-terminated).
    @inlinable @inline(__always)
    package static func lookup(_ name: UnsafePointer<UInt8>?) -> Tag {
        guard let name else { return .other }
        return TagTable.shared.lookup(name)
    }

    @inlinable
    package var isHeading: Bool { rawValue >= Tag.h1.rawValue && rawValue <= Tag.h6.rawValue }
}

/// A small open-addressing hash table from packed element names to tags.
///
/// Names of up to 8 bytes are packed into a UInt64 and compared whole; longer names
/// (blockquote, figcaption, ...) also compare their remaining bytes.
package struct TagTable: Sendable {
    package static let shared = TagTable()
    @inlinable static var size: Int { 512 }
    @usableFromInline var keys = [UInt64](repeating: 0, count: TagTable.size)
    @usableFromInline var tails = [[UInt8]](repeating: [], count: TagTable.size)
    @usableFromInline var values = [Tag](repeating: .other, count: TagTable.size)

    private init() {
        for tag in Tag.allCases where tag != .other {
            let bytes = Array(tag.name.utf8)
            let key = Self.pack(bytes)
            var slot = Self.slot(key)
            while keys[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
            keys[slot] = key
            tails[slot] = bytes.count > 8 ? Array(bytes[8...]) : []
            values[slot] = tag
        }
    }

    private static func pack(_ bytes: [UInt8]) -> UInt64 {
        var key: UInt64 = 0
        for (i, c) in bytes.prefix(8).enumerated() { key |= UInt64(c) << (8 * UInt64(i)) }
        return key
    }

    @inlinable @inline(__always) static func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 55) & (size - 1)
    }

    @inlinable @inline(__always)
    package func lookup(_ name: UnsafePointer<UInt8>) -> Tag {
        var key: UInt64 = 0
        var i = 0
        while i < 8 {
            let c = name[i]
            if c == 0 { break }
            key |= UInt64(c) << (8 * UInt64(i))
            i += 1
        }
        var slot = Self.slot(key)
        while true {
            let k = keys[slot]
            if k == 0 { return .other }
            if k == key {
                let tail = tails[slot]
                if i < 8 { return tail.isEmpty ? values[slot] : .other }
                var j = 0
                while j < tail.count, name[8 + j] == tail[j] { j += 1 }
                if j == tail.count && name[8 + j] == 0 { return values[slot] }
                if tail.isEmpty && name[8] == 0 { return values[slot] }
            }
            slot = (slot + 1) & (Self.size - 1)
        }
    }
}
