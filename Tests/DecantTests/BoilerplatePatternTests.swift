import Testing
@testable import DecantExtract

@Suite struct AttributeClassifierTests {
    static func classify(_ value: String) -> ClassSignals {
        var classifier = AttributeClassifier()
        return Array(value.utf8).withUnsafeBufferPointer { classifier.classify($0) }
    }

    @Test func tokensSplitAtPunctuationAndCamelCase() {
        #expect(Self.classify("relatedPosts").drop)
        #expect(Self.classify("c-share__bar").drop)
        #expect(Self.classify("entry-content").positive)
        #expect(!Self.classify("header-shadow").drop)
    }

    @Test func stemsMatchInsideCompoundWords() {
        #expect(Self.classify("relatedposts").drop)
        #expect(Self.classify("cookiebanner").drop)
        #expect(Self.classify("c-articlebody").positive)
    }

    @Test func furnitureAndArticleWordsTogetherLeaveItToSize() {
        let s = Self.classify("banners-contenido-nota")
        #expect(!s.drop && !s.positive && s.dropIfSmall)
    }

    @Test func embeddedContentIsNotSocialFurniture() {
        #expect(!Self.classify("social-media-embed").drop)
        #expect(!Self.classify("twitter-tweet").drop)
    }

    @Test func adTokensAreMarkedAsAdSlots() {
        let s = Self.classify("ad-slot")
        #expect(s.drop && s.ad)
    }

    @Test func captionsAndLeadsAreRecognised() {
        #expect(Self.classify("wp-caption-text").caption)
        #expect(Self.classify("article-lead").lead)
        #expect(Self.classify("standfirst").lead)
    }
}

@Suite struct FurnitureLineTests {
    @Test func shortFurnitureLinesMatchInSeveralLanguages() {
        for line in ["Advertisement", "ANZEIGE", "Publicité", "Share this article", "Реклама", "Leia mais"] {
            #expect(FurnitureLine.matches(line), "\(line)")
        }
    }

    @Test func creditsBylinesAndDateLinesMatch() {
        #expect(FurnitureLine.matches("Photo: Reuters"))
        #expect(FurnitureLine.matches("© 2024 Example Media"))
        #expect(FurnitureLine.matches("By Jane Smith and John Roe"))
        #expect(FurnitureLine.matches("Nov. 20, 2019 5:52 AM EST"))
        #expect(FurnitureLine.matches("Updated 3. März 2021, 14:05 Uhr"))
    }

    @Test func sentencesAreNotFurniture() {
        #expect(!FurnitureLine.matches("More than 200 people came to the meeting on Tuesday."))
        #expect(!FurnitureLine.matches("By the end of the year the bridge will be open."))
        #expect(!FurnitureLine.matches("Share prices rose by 5 percent after the announcement was made public."))
    }
}

@Suite struct BlockHeadingTests {
    @Test func furnitureHeadingsMatchInSevenLanguages() {
        for heading in ["Related articles", "You Might Also Like", "Das könnte Sie auch interessieren",
                        "À lire aussi", "Noticias relacionadas", "Articoli correlati", "Читайте также", "Leia também"] {
            #expect(BlockHeadings.matches(TextKey.make(heading), allowTail: true), "\(heading)")
        }
    }

    @Test func aHeadingMayContinueBrieflyAfterThePhrase() {
        #expect(BlockHeadings.matches(TextKey.make("More from The Town Courier"), allowTail: true))
        #expect(!BlockHeadings.matches(TextKey.make("More from The Town Courier"), allowTail: false))
        #expect(!BlockHeadings.matches(TextKey.make("Trending upwards: why the river keeps rising every spring and autumn"), allowTail: true))
    }

    @Test func textKeysIgnoreCasePunctuationAndApostrophes() {
        #expect(TextKey.make("Don’t  Miss:") == "dont miss")
    }
}
