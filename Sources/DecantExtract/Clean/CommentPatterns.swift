/// The vocabulary of reader comments (`clean.keepComments`): which class/id names and schema.org
/// marks make a comment section, one comment, and its author, date, text and controls.
///
/// This is data, kept apart from `CommentFinder`: extend it here. Unlike `BoilerplatePatterns`
/// (tokens), these are whole names: each class and the id, lower-cased, with everything but letters
/// and digits removed (`comment-list` and `commentList` → `commentlist`, `disqus_thread` →
/// `disqusthread`), so `comment-author` never reads as `comment`. Like trafilatura's
/// `COMMENTS_XPATH`, but per comment instead of one block of text.
enum CommentPatterns {
    /// Sections that hold a page's comments (or a forum thread's replies).
    static let sectionNames: Set<String> = [
        "comments", "commentlist", "commentslist", "commentsection", "commentssection", "commentsarea",
        "commentarea", "commentscontainer", "commentswrapper", "commentsblock", "commentsbox", "commentthread",
        "commentsthread", "commentscontent", "commentpage", "postcomments", "articlecomments", "storycomments",
        "usercomments", "readercomments", "comol", "disqus", "disqusthread", "dsqcomments", "discussion",
        "replies", "threadreplies", "topicreplies", "postreplies", "thread", "threadposts", "topicposts",
        "forumposts", "messagelist",
        "kommentare", "kommentarbereich", "commentaires", "comentarios", "commenti", "komentarze",
        "kommentarii",
    ]

    /// Elements that are one comment wherever they stand (WordPress `li.comment`, Drupal `div.comment`).
    static let itemNames: Set<String> = ["comment", "commentitem", "singlecomment", "usercomment"]

    /// Elements that are one comment (or reply) inside a section: Disqus `li.post`, forum posts.
    static let sectionItemNames: Set<String> = [
        "post", "message", "forumpost", "threadpost", "topicpost", "postreply",
        "kommentar", "commentaire", "comentario", "commento",
    ]

    /// schema.org types of one comment (the last part of `itemtype`, lower-cased).
    static let itemTypes: Set<String> = ["comment", "usercomments", "answer"]
    /// `itemprop` values of one comment (schema.org `comment` of a posting).
    static let itemProps: Set<String> = ["comment"]

    /// Names of a comment's author, best first (`cite.fn` inside `.comment-author` wins).
    static let authorNames: [String] = [
        "fn", "commentauthorname", "authorname", "username", "messagename", "commentauthor", "postauthor", "commentername",
        "author", "nickname", "poster", "user", "creator", "byline", "commentname", "name", "url",
    ]
    /// `itemprop` values of a comment's author.
    static let authorProps: Set<String> = ["author", "creator"]
    /// Words written after an author's name ("Ann says:"), removed from it.
    static let authorSuffixes: [String] = [
        "says", "said", "wrote", "writes", "sagt", "schreibt", "a dit", "dit", "dice", "escribió", "ha detto",
        "scrive", "escreveu", "diz", "пишет", "написал",
    ]

    /// Names of a comment's date, best first (a `<time>` comes before all of them).
    static let dateNames: [String] = [
        "commentdate", "commenttime", "commentmetatime", "postdate", "posttime", "timeago", "timestamp", "published", "date", "time",
        "datetime", "commentmetadata", "postmeta",
    ]
    /// `itemprop` values of a comment's date.
    static let dateProps: Set<String> = ["datepublished", "datecreated", "commenttime", "uploaddate"]

    /// Names of a comment's own text, best first; without one, the whole comment is its text.
    static let textNames: [String] = [
        "commentcontent", "commenttext", "commentmessage", "commententry", "postmessage", "messagebody", "posttext", "postcontent",
        "messagecontent", "commentbody", "postbody", "content", "text", "body",
    ]
    /// `itemprop` values of a comment's text.
    static let textProps: Set<String> = ["text", "commenttext"]

    /// Controls and metadata inside a comment, left out of its text.
    static let controlNames: Set<String> = [
        "reply", "replylink", "commentreply", "commentreplylink", "replybutton", "commentmeta", "commentactions",
        "commentfooter", "commenttools", "postactions", "postfooter", "postmeta", "actions", "votes", "vote",
        "voting", "likes", "like", "reactions", "share", "sharing", "permalink", "report", "flag", "edit",
        "editlink", "commentedit", "avatar", "says", "badge", "badges", "signature", "postsignature",
    ]

    /// What an empty section says in place of comments ("No comments yet, be the first"): a comment
    /// whose text starts with one of these (normalised like `TextKey`) and is short is none.
    static let placeholderPhrases: [String] = [
        "no comments", "no comment yet", "be the first to comment", "there are no comments", "comments are closed",
        "no responses", "no replies", "keine kommentare", "noch keine kommentare", "aucun commentaire",
        "pas de commentaire", "sin comentarios", "no hay comentarios", "nessun commento", "sem comentários",
        "нет комментариев",
    ]

    /// How pingbacks and trackbacks start ("Pingback von …"): links from other sites, not comments.
    static let linkbackOpenings: [String] = ["pingback", "trackback", "linkback"]

    /// Never comments: the form to write one (WordPress `#respond`), titles and page links of the
    /// section, pingbacks, dialogs. A `<form>` inside a section is excluded too.
    static let excludedNames: Set<String> = [
        "respond", "commentrespond", "commentform", "replyform", "commentformwrapper", "replytitle",
        "commentreplytitle", "commentstitle", "commenttitle", "nocomments", "commentnavigation",
        "commentsnavigation", "commentpagination", "commentspagination", "akismet", "commentpolicy", "loadmore",
        "newcomment", "addcomment", "writecomment", "postcomment", "leavecomment", "commentinput",
        "pingback", "pingbacks", "trackback", "trackbacks", "pings", "modal", "modaldialog", "popup", "dialog",
    ]
}
