/// How much work one page may cost the parser, as data (see docs/fetch.md, "Limits of one page").
package struct ExtractLimits: Sendable, Equatable {
    /// Attributes kept per start tag; later ones are dropped before parsing (libxml2 compares
    /// each new attribute with all earlier ones of its tag).
    package var attributesPerTag = 256
    /// Elements, attributes, comments and processing instructions per page; a page with more
    /// fails with `HTMLError.tooManyNodes` (the largest of 2,734 evaluation pages has 24,000).
    package var nodes = 500_000

    package static let standard = ExtractLimits()
}
