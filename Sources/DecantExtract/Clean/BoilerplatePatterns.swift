/// The boilerplate vocabulary: class/id tokens, ARIA roles, block headings and short lines
/// that mark page furniture, in English, German, French, Spanish, Italian, Russian and Portuguese.
///
/// This is data, kept apart from the scoring (`ContentScorer`, `BlockFilter`): extend it here.
/// Class and id values are split into lower-case tokens at punctuation and camelCase
/// boundaries (`c-article__body` → `c`, `article`, `body`; `relatedPosts` → `related`, `posts`).
enum BoilerplatePatterns {
    /// What a class/id token says about its element.
    enum Signal: UInt8, Sendable {
        /// Furniture whatever its size: sharing, comments, related links, navigation.
        case drop
        /// An ad or promotion slot: furniture unless it holds real paragraph text (a BEM modifier
        /// such as `section--ads` marks a section that merely contains ad slots).
        case ad
        /// Furniture when small (a byline, a date line, a label): dropped under ~300 characters.
        case dropIfSmall
        /// Hints that the element holds the article.
        case positive
        /// Embedded content (tweets, videos) that belongs to the article: cancels `drop` on its element.
        case keep
        /// An image caption or legend written as a plain block: rendered as a caption.
        case caption
        /// A lead, standfirst or intro paragraph, often placed before the body's container.
        case lead
    }

    /// Tokens that must equal a whole class/id token.
    static let exactTokens: [String: Signal] = {
        var t: [String: Signal] = [:]
        for w in [
            // navigation and page chrome
            "nav", "navbar", "navi", "menu", "menubar", "submenu", "megamenu", "breadcrumb", "breadcrumbs",
            "crumbs", "sidebar", "sidebars", "aside", "rail", "footer", "foot", "masthead", "topbar", "skip",
            "skiplink", "pagination", "pager", "paging", "toc", "jump", "sitemap", "offcanvas", "drawer",
            // ad and recommendation vendors
            "outbrain", "taboola", "revcontent", "zergnet", "mgid", "plista", "ligatus", "nativo", "teads",
            // sharing and social
            "share", "shares", "sharing", "sharebar", "social", "socials", "sociallinks", "follow",
            "addthis", "shareaholic", "sharethis", "print", "email", "mail", "bookmark", "likes", "reactions",
            // popups and hover cards
            "tooltip", "popover", "hovercard", "rollover", "flyout", "dropdown",
            // comments
            "comment", "comments", "disqus", "respond", "reply", "replies", "discussion", "feedback",
            "guestbook",
            // related, recommended, more
            "related", "relatedposts", "recommended", "recommendations", "recommendation", "recirc",
            "recirculation", "more", "morestories", "readmore", "readnext", "upnext", "next", "prev",
            "previous", "trending", "popular", "mostread", "mostpopular", "mostviewed", "topstories",
            "latest", "carousel", "ticker", "newsticker", "breaking", "slider", "headlines", "linklist", "blogroll",
            "archive", "archives", "categories", "tagcloud", "tags", "tagged", "tagline", "topics",
            "keywords",
            // consent, popups, subscription
            "cookie", "cookies", "consent", "gdpr", "privacy", "modal", "popup", "overlay", "lightbox",
            "newsletter", "newsletters", "subscribe", "subscription", "subscriptions", "signup", "optin",
            "paywall", "registration", "login", "signin", "register", "alert", "alerts", "notification",
            "toast", "donate", "donation", "membership",
            // German, French, Spanish, Italian, Russian (transliterated), Portuguese
            "teilen", "kommentar", "kommentare", "empfehlung",
            "empfehlungen", "verwandt", "aehnlich", "weiterlesen", "meistgelesen", "schlagworte",
            "partage", "partager", "commentaires", "recommandations", "similaires",
            "compartir", "comentarios", "relacionados", "relacionadas", "recomendados",
            "condividi", "commenti", "correlati", "consigliati",
            "kommentarii", "pohozhie", "populyarnoe",
            "compartilhar", "compartilhe", "relacionadas", "recomendadas",
        ] { t[w] = .drop }
        for w in [
            "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense", "adslot",
            "adunit", "adbox", "adblock", "dfp", "gpt", "sponsor", "sponsored", "sponsors", "promo",
            "promos", "promoted", "promotion", "commercial", "affiliate", "partner", "partners", "banner",
            "billboard", "skyscraper", "leaderboard", "werbung", "anzeige", "anzeigen", "pub", "publicite",
            "publicidad", "pubblicita", "reklama", "publicidade",
        ] { t[w] = .ad }
        for w in [
            "byline", "bylines", "author", "authors", "writer", "dateline", "date", "time", "timestamp",
            "published", "updated", "meta", "metadata", "info", "source", "label",
            "kicker", "eyebrow", "overline", "header", "head", "hdr", "toolbar", "tools", "utility",
            "utilities", "actions", "icon", "icons", "button", "btn", "badge", "rating", "ratings",
            "disclaimer", "copyright", "legal", "contact", "bio", "avatar", "profile", "subtitle",
            "widget", "widgets", "module", "modules",
            "category", "section", "flag", "hidden", "hide", "sr", "visually", "screenreader", "noprint",
        ] { t[w] = .dropIfSmall }
        for w in [
            "article", "articlebody", "content", "entry", "hentry", "main", "post", "story", "storybody",
            "body", "text", "blog", "page", "prose", "richtext", "markdown", "artikel", "beitrag",
            "inhalt", "contenu", "texte", "contenido", "cuerpo", "noticia", "articolo", "testo",
            "contenuto", "materia", "conteudo", "texto", "statya",
        ] { t[w] = .positive }
        for w in keepTokens { t[w] = .keep }
        for w in captionTokens { t[w] = .caption }
        for w in leadTokens { t[w] = .lead }
        return t
    }()

    /// Tokens of embedded content that an article quotes (a tweet, a post, a video).
    static let keepTokens: [String] = ["embed", "embedded", "oembed", "tweet", "instagram"]

    /// Tokens of image captions and legends.
    static let captionTokens: [String] = [
        "caption", "captions", "figcaption", "legend", "legende", "légende", "bildunterschrift", "didascalia",
        "pie", "photocaption", "imagecaption", "wpcaptiontext", "credit", "credits",
    ]

    /// Tokens of a lead (standfirst, intro, teaser text, chapô, Vorspann, entradilla, ...).
    static let leadTokens: [String] = [
        "lead", "leadtext", "lede", "intro", "introtext", "introduction", "teaser", "teasertext", "chapo",
        "chapeau", "standfirst", "dek", "deck", "summary", "excerpt", "abstract", "kurztext", "vorspann",
        "anriss", "entradilla", "bajada", "sumario", "sottotitolo", "resumo", "linhafina", "podzagolovok",
    ]

    /// Stems that mark a token wherever they occur inside it (`relatedposts`, `sharebar`, `cookiebanner`).
    static let stems: [(String, Signal)] = [
        ("advert", .ad), ("sponsor", .ad), ("outbrain", .drop), ("taboola", .drop), ("newsletter", .drop),
        ("cookie", .drop), ("consent", .drop), ("breadcrumb", .drop), ("sidebar", .drop), ("related", .drop),
        ("recommend", .drop), ("sharing", .drop), ("social", .drop), ("comment", .drop), ("subscri", .drop),
        ("popular", .drop), ("trending", .drop), ("navigation", .drop), ("navbar", .drop), ("footer", .drop),
        ("masthead", .drop), ("promo", .ad), ("banner", .ad),
        ("readmore", .drop), ("readnext", .drop), ("moreon", .drop), ("morefrom", .drop), ("youmay", .drop),
        ("youmight", .drop), ("alsolike", .drop), ("mostread", .drop), ("paywall", .drop), ("werbung", .ad),
        ("kommentar", .drop), ("empfehl", .drop), ("relacionad", .drop), ("correlat", .drop),
        ("recomend", .drop), ("recommand", .drop), ("publicid", .ad), ("pubblicit", .ad),
        ("articlelead", .lead), ("articleintro", .lead), ("articleteaser", .lead), ("leadtext", .lead),
        ("introtext", .lead), ("teasertext", .lead), ("caption", .caption), ("bildunterschrift", .caption), ("byline", .dropIfSmall), ("author", .dropIfSmall), ("dateline", .dropIfSmall),
        ("timestamp", .dropIfSmall), ("articlebody", .positive), ("storybody", .positive),
        ("postbody", .positive), ("entrycontent", .positive), ("postcontent", .positive),
        ("articlecontent", .positive), ("articletext", .positive), ("maincontent", .positive),
    ]

    /// Labels of controls that reveal the rest of a text ("Read more", "Weiterlesen"), normalised
    /// like headings. A hidden block right after one is the article's continuation, not furniture.
    static let expanderLabels: [String] = [
        "read more", "read the rest", "read full story", "read the full story", "read full article",
        "show more", "see more", "view more", "more", "expand", "continue reading", "continue", "full story",
        "weiterlesen", "mehr lesen", "mehr anzeigen", "alles anzeigen", "lire la suite", "voir plus", "afficher plus",
        "leer más", "ver más", "mostrar más", "seguir leyendo", "continuar leyendo", "leggi tutto", "continua a leggere",
        "mostra di più", "leia mais", "ver mais", "continuar lendo", "читать далее", "подробнее", "показать полностью",
        "далее", "lees meer", "meer lezen", "czytaj dalej", "więcej",
    ]

    /// ARIA roles of furniture.
    static let dropRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
        "menubar", "toolbar", "tablist", "alert", "status", "marquee", "timer", "log",
    ]

    /// Headings (normalised: lower-case, letters and spaces) that title a furniture block.
    /// A heading matches when it starts with one of these and is at most 25 characters longer.
    static let blockHeadings: [String] = [
        // English
        "related", "related articles", "related stories", "related posts", "related content", "related news",
        "related coverage", "related links", "related topics", "related reading", "you might also like",
        "you may also like", "you might like", "you may like", "you might be interested in",
        "you may be interested in", "we recommend", "recommended", "recommended for you",
        "recommended stories", "recommended articles", "recommended reading", "more from", "more stories",
        "more news", "more on this", "more articles", "more like this", "more in", "more to read",
        "read more", "read next", "read also", "also read", "what to read next", "up next", "trending",
        "trending now", "most popular", "most read", "most viewed", "most shared", "popular posts",
        "popular stories", "popular articles", "latest news", "latest stories", "latest articles",
        "latest posts", "recent posts", "recent articles", "around the web", "from the web",
        "from around the web", "sponsored", "sponsored content", "sponsored stories", "promoted stories",
        "paid content", "partner content", "comments", "leave a comment", "leave a reply", "join the conversation",
        "join the discussion", "responses", "share this", "share this article", "share this story",
        "share this post", "share on", "tags", "topics", "filed under", "about the author",
        "about the authors", "sign up", "subscribe", "newsletter", "get our newsletter", "don t miss",
        "dont miss", "editor s picks", "editors picks", "top stories", "in case you missed it",
        "keep reading", "continue reading", "follow us", "explore more", "other stories", "similar posts",
        "similar articles", "you may have missed", "was this article helpful", "did you like this article",
        "more great stories", "related video", "related videos", "watch next", "media contact", "press contact",
        "contact us", "breaking news", "news ticker", "share this page", "like this", "like this post", "rate this article", "get the newsletter",
        // German
        "das könnte sie auch interessieren", "das könnte dich auch interessieren", "auch interessant",
        "mehr zum thema", "weitere artikel", "ähnliche artikel", "verwandte artikel", "lesen sie auch",
        "lesen sie mehr", "weiterlesen", "empfehlungen", "unsere empfehlungen", "beliebte artikel",
        "meistgelesen", "meistgelesene artikel", "kommentare", "teilen", "schlagworte",
        "über den autor", "über die autorin", "passend zum thema", "weitere nachrichten", "top themen",
        "mehr aus", "mehr von", "neueste artikel", "zum thema", "ähnliche beiträge", "verwandte beiträge",
        "weitere beiträge", "mehr interessantes", "empfohlener redaktioneller inhalt", "externer inhalt",
        "war der artikel nützlich", "war dieser artikel hilfreich", "gefällt mir", "kontakt", "pressekontakt",
        "ihre meinung", "diskutieren sie mit", "das könnte ihnen auch gefallen", "beliebte beiträge",
        // French
        "vous aimerez aussi", "vous aimerez aussi", "à lire aussi", "a lire aussi", "lire aussi",
        "à lire également", "sur le même sujet", "sur le meme sujet", "articles similaires",
        "articles liés", "nos recommandations", "les plus lus", "les plus populaires", "commentaires",
        "partager", "partagez", "voir aussi", "dans la même rubrique", "à découvrir aussi",
        "à découvrir", "plus d articles", "les dernières actualités", "réagissez",
        // Spanish
        "también te puede interesar", "te puede interesar", "te puede gustar", "noticias relacionadas",
        "artículos relacionados", "articulos relacionados", "lo más leído", "lo mas leido", "lo más visto",
        "comentarios", "compartir", "comparte", "te recomendamos", "más noticias", "lee también",
        "leer más", "contenido patrocinado", "temas relacionados", "más sobre",
        // Italian
        "potrebbe interessarti", "ti potrebbe interessare", "potrebbero interessarti", "articoli correlati",
        "leggi anche", "i più letti", "più letti", "commenti", "condividi", "consigliati",
        "notizie correlate", "altri articoli", "ultime notizie", "dello stesso autore",
        // Russian
        "читайте также", "смотрите также", "похожие статьи", "похожие новости", "рекомендуем",
        "популярное", "самое читаемое", "самое популярное", "комментарии", "поделиться",
        "другие новости", "новости по теме", "материалы по теме", "вам может быть интересно",
        "читать также", "по теме", "последние новости", "еще по теме", "самые популярные", "популярные статьи",
        "популярные новости", "похожие материалы", "отзывы", "добавить отзыв", "добавить комментарий",
        "оставить комментарий", "оставьте комментарий", "рекомендуемые статьи", "вам также может понравиться",
        // Portuguese
        "leia também", "leia mais", "veja também", "você também pode gostar", "você pode gostar",
        "notícias relacionadas", "artigos relacionados", "mais lidas", "mais lidos", "recomendados",
        "comentários", "compartilhe", "compartilhar", "mais notícias", "relacionados", "veja mais",
        "saiba mais",
    ]

    /// Short lines that are furniture wherever they appear (normalised like headings), matched whole.
    static let furnitureLines: [String] = [
        "advertisement", "advertisements", "advertising", "sponsored", "ad", "ads", "anzeige", "werbung",
        "publicité", "publicite", "publicidad", "pubblicità", "реклама", "publicidade", "story continues below",
        "story continues below advertisement", "article continues below", "continue reading below",
        "scroll to continue", "scroll to continue with content", "continue reading", "read more",
        "share this article", "share this story", "share this", "share", "tweet", "email", "print",
        "subscribe now", "all rights reserved", "weiterlesen", "lire la suite", "leer más", "leggi tutto",
        "читать далее", "leia mais", "skip to content", "skip to main content", "back to top",
        "zurück nach oben", "originalartikel", "original article", "this slideshow requires javascript",
        "enable javascript", "loading", "bild vergrößern", "bild anzeigen", "zoom", "click to enlarge",
        "gefällt mir", "like", "likes", "advert", "adverts", "caption", "close", "expand", "enlarge",
        "sharing is caring", "tell us what you think", "hide caption", "toggle caption", "view gallery", "teilen", "partager", "compartir", "condividi", "поделиться",
        "compartilhe", "drucken", "imprimer", "imprimir", "stampa", "печать",
    ]

    /// Starts of short lines (at most 80 characters) that are furniture: credits, sharing prompts,
    /// cross-links and post metadata.
    static let furnitureLineStarts: [String] = [
        "foto ", "fotos ", "photo ", "photos ", "photograph ", "bild ", "bilder ", "image ", "images ",
        "credit ", "credits ", "image credit ", "photo credit ", "source ", "quelle ", "fuente ", "fonte ",
        "crédito ", "crédits ", "copyright ", "getty images", "istock", "shutterstock",
        "click to share ", "share on ", "follow us on ", "follow us ", "sign up for ", "subscribe to ",
        "see also ", "also read ", "read also ", "read more ", "read next ", "lesen sie auch ", "lesen sie mehr ",
        "mehr zum thema ", "lire aussi ", "à lire aussi ", "a lire aussi ", "leia também ", "leia mais ",
        "leggi anche ", "читайте также ", "lee también ", "lea también ", "te puede interesar ",
        "posted by ", "posted in ", "posted on ", "filed under ", "published by ", "eingestellt von ",
        "veröffentlicht von ", "publié par ", "publicado por ", "pubblicato da ", "опубликовано ",
        "kategorie ", "kategorien ", "category ", "categories ", "catégorie ", "categoría ", "categoria ",
        "tags ", "schlagwörter ", "schlagworte ", "stichworte ", "étiquettes ", "etiquetas ", "теги ",
    ]

    /// Words that start a byline ("By Jane Doe", "Von Max Muster", "Par …").
    static let bylineWords: Set<String> = ["by", "von", "par", "por", "di", "da", "door", "av", "af", "автор", "текст"]

    /// Words a date line is made of, besides numbers ("Nov. 20, 2019 5:52 AM EST", "Updated 3. März 2021, 14:05 Uhr"):
    /// the months, weekdays, cues and zones of the shared table `DateWords`.
    static let dateLineWords: Set<String> = DateWords.lineWords

    /// Phrases of calls to action (subscribe, follow, download the app) that mark a short paragraph
    /// near the end of an article as a promotion rather than content. Matched on `TextKey` text.
    static let callToActionPhrases: [String] = [
        "subscribe", "subscriber", "subscription", "newsletter", "sign up", "signing up", "follow us",
        "follow me", "keep up with me", "download the", "our app", "apps for", "telegram", "our youtube",
        "abonnier", "abonnement", "abonnez", "inscrivez vous", "suscríbete", "suscribete", "suscripción",
        "únete", "hazte miembro", "iscriviti", "subskrypcj", "подпиш", "assine", "inscreva se",
        "folgen sie uns", "folge uns", "melde dich", "melden sie sich", "canal de youtube", "canal de telegram",
        "on twitter", "on instagram", "on facebook", "whatsapp", "opt out", "click here", "hier klicken",
        "cliquez ici", "haga clic", "clicca qui", "regular updates",
    ]

    /// Imperatives that open a promotion wherever it stands ("Subscribe today and get …", "Jetzt
    /// abonnieren"): a short paragraph starting with one is dropped.
    static let callToActionOpenings: [String] = [
        "subscribe", "subscribe now", "subscribe today", "sign up", "sign up now", "join now", "become a member",
        "become a subscriber", "get unlimited access", "start your free trial", "download our app", "download the app",
        "jetzt abonnieren", "abonnieren sie", "jetzt registrieren", "abonnez vous", "inscrivez vous",
        "suscríbete", "suscríbase", "iscriviti", "abbonati", "assine", "inscreva se", "подпишитесь", "оформите подписку",
    ]

    /// Phrases that make even a short line early in an article a call to action ("Get our newsletter").
    static let newsletterPhrases: [String] = ["newsletter", "sign up", "signing up", "inscrivez vous", "suscríbete"]

    /// Phrases of advertising and affiliate disclosures, dropped wherever they stand in a short
    /// paragraph. Matched on `TextKey` text.
    static let disclosurePhrases: [String] = [
        "affiliate link", "affiliate links", "affiliatelink", "advertiser disclosure", "advertising disclaimer",
        "we may receive compensation", "we may earn", "earn a commission", "earns a commission",
        "enthält werbung", "enthält affiliate", "werbung für", "provisionslink", "product advertising api",
        "paid links", "lien affilié", "liens affiliés", "liens d'affiliation", "enlaces de afiliados",
        "enlaces de afiliado", "link di affiliazione", "link affiliati", "партнерские ссылки",
        "links de afiliados",
    ]
}
