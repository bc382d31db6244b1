/// The date in a URL's path: `/2019/08/16/`, `/2019-08-16-title`, `_2019_08_16`, and a bare
/// `20190816` between separators. Partial dates (`/2019/08/`) are not dates.
enum URLDate {
    /// The first full date after the host of `url`, or nil.
    static func find(in url: String) -> PageDate? {
        let b = Array(url.utf8.prefix(2048)) + [0]
        var i = pathStart(b)
        while i + 8 <= b.count - 1 {
            // A run of digits must start after a non-digit.
            guard DateNormalizer.isDigit(b[i]), !DateNormalizer.isDigit(b[i - 1]), isSeparator(b[i - 1]) else { i += 1; continue }
            var j = i
            if let y = DateNormalizer.digits(b, &j, min: 4, max: 4, strict: false), (1990...2100).contains(y) {
                var k = j + 1
                if isSeparator(b[j]), let m = DateNormalizer.digits(b, &k, min: 1, max: 2), isSeparator(b[k]) {
                    k += 1
                    if let d = DateNormalizer.digits(b, &k, min: 1, max: 2), let date = PageDate(validYear: y, month: m, day: d) {
                        return date
                    }
                }
                if let m = twoDigits(b, j), let d = twoDigits(b, j + 2), isBoundary(b[j + 4]),
                   let date = PageDate(validYear: y, month: m, day: d) {
                    return date
                }
            }
            i += 1
        }
        return nil
    }

    /// The index after `scheme://host`, or 1 for a path alone.
    private static func pathStart(_ b: [UInt8]) -> Int {
        var slashes = 0
        for (k, c) in b.enumerated() where c == UInt8(ascii: "/") {
            slashes += 1
            if slashes == 3 { return k }
        }
        return 1
    }

    /// Two digits at `i` (`08`, not `8` or `081`), as a number.
    private static func twoDigits(_ b: [UInt8], _ i: Int) -> Int? {
        guard i + 1 < b.count, DateNormalizer.isDigit(b[i]), DateNormalizer.isDigit(b[i + 1]) else { return nil }
        return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
    }

    private static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "/") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    /// What may follow a bare `YYYYMMDD`: a separator, a dot, a query or the end.
    private static func isBoundary(_ c: UInt8) -> Bool {
        isSeparator(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == 0
    }
}
