#ifndef DECANT_CLIBXML2_SHIM_H
#define DECANT_CLIBXML2_SHIM_H

#include <stdint.h>
#include <string.h>
#include <time.h>
#include <libxml/xmlversion.h>

/* Debian builds libxml2 with ICU; its <unicode/ucnv.h> clashes with the ICU
   bundled in Foundation. We never use the ICU converter types, so stop the
   system header from being included and forward-declare what encoding.h names. */
#ifdef LIBXML_ICU_ENABLED
#define UCNV_H
struct UConverter;
typedef struct UConverter UConverter;
typedef uint16_t UChar;
#endif

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects as
   shared mutable state; call it through this wrapper. */
static inline void clibxml2_free(void *p) { xmlFree(p); }

/* Silences libxml2's generic error output for the whole process. */
static void clibxml2_ignore_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void clibxml2_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_ignore_error);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

/* The node's _private slot holds a small integer index while a walk runs. */
static inline void clibxml2_set_index(xmlNodePtr n, intptr_t i) { n->_private = (void *)i; }
static inline intptr_t clibxml2_get_index(xmlNodePtr n) { return (intptr_t)n->_private; }

/* ---- A budgeted HTML parse ----
   The parse is htmlReadMemory's (same context, SAX handler and options, no encoding
   conversion: the bytes are UTF-8 already) with two bounds enforced from the SAX
   callbacks and the error channel: a node limit (elements, attributes, comments and
   processing instructions created) and a deadline on the monotonic clock, checked every
   64 events. Either one halts the parser with xmlStopParser. */

#define CLIBXML2_RUNNING 0
#define CLIBXML2_NODE_LIMIT 1
#define CLIBXML2_DEADLINE 2

typedef struct clibxml2_budget {
    double deadline;        /* CLOCK_MONOTONIC seconds */
    long max_nodes;
    long nodes;
    long elements;
    unsigned long events;
    int stop;
    startElementSAXFunc start_element;
    endElementSAXFunc end_element;
    charactersSAXFunc characters;
    ignorableWhitespaceSAXFunc ignorable_whitespace;
    cdataBlockSAXFunc cdata_block;
    commentSAXFunc comment;
    processingInstructionSAXFunc processing_instruction;
} clibxml2_budget;

static inline double clibxml2_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline void clibxml2_budget_halt(xmlParserCtxtPtr ctxt, clibxml2_budget *b, int why) {
    b->stop = why;
    xmlStopParser(ctxt);
}

/* Counts an event; every 64th looks at the clock. Returns 0 once the parse must stop. */
static inline int clibxml2_budget_tick(xmlParserCtxtPtr ctxt, clibxml2_budget *b) {
    if (b->stop != CLIBXML2_RUNNING) return 0;
    if ((++b->events & 63) == 0 && clibxml2_now() > b->deadline) {
        clibxml2_budget_halt(ctxt, b, CLIBXML2_DEADLINE);
        return 0;
    }
    return 1;
}

/* Adds `n` nodes. Returns 0 (and halts) when the limit is passed. */
static inline int clibxml2_budget_add(xmlParserCtxtPtr ctxt, clibxml2_budget *b, long n) {
    if (b->stop != CLIBXML2_RUNNING) return 0;
    b->nodes += n;
    if (b->nodes > b->max_nodes) {
        clibxml2_budget_halt(ctxt, b, CLIBXML2_NODE_LIMIT);
        return 0;
    }
    return 1;
}

#define CLIBXML2_BUDGET(ctx) ((clibxml2_budget *)((xmlParserCtxtPtr)(ctx))->_private)

static void clibxml2_budget_start_element(void *ctx, const xmlChar *name, const xmlChar **atts) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    long n = 1;
    if (atts != NULL) for (const xmlChar **a = atts; *a != NULL; a += 2) n++;
    if (!clibxml2_budget_add((xmlParserCtxtPtr)ctx, b, n)) return;
    b->elements++;
    b->start_element(ctx, name, atts);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_end_element(void *ctx, const xmlChar *name) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (b->stop != CLIBXML2_RUNNING) return;
    b->end_element(ctx, name);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_characters(void *ctx, const xmlChar *ch, int len) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (b->stop != CLIBXML2_RUNNING) return;
    b->characters(ctx, ch, len);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_ignorable_whitespace(void *ctx, const xmlChar *ch, int len) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (b->stop != CLIBXML2_RUNNING) return;
    b->ignorable_whitespace(ctx, ch, len);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_cdata_block(void *ctx, const xmlChar *value, int len) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (b->stop != CLIBXML2_RUNNING) return;
    b->cdata_block(ctx, value, len);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_comment(void *ctx, const xmlChar *value) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (!clibxml2_budget_add((xmlParserCtxtPtr)ctx, b, 1)) return;
    b->comment(ctx, value);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

static void clibxml2_budget_processing_instruction(void *ctx, const xmlChar *target, const xmlChar *data) {
    clibxml2_budget *b = CLIBXML2_BUDGET(ctx);
    if (!clibxml2_budget_add((xmlParserCtxtPtr)ctx, b, 1)) return;
    b->processing_instruction(ctx, target, data);
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, b);
}

/* Parse errors without a SAX event (an end tag matching no open element costs a search of
   the open-element stack) still count as events. */
static void clibxml2_budget_error(void *ctx, xmlErrorPtr error) {
    (void)error;
    clibxml2_budget_tick((xmlParserCtxtPtr)ctx, CLIBXML2_BUDGET(ctx));
}

/* A parser context over a copy of `size` bytes of UTF-8, set up as htmlReadMemory does;
   NULL when libxml2 is out of memory. */
static inline htmlParserCtxtPtr clibxml2_html_context(const char *bytes, int size, const char *url, int options) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) return NULL;
    xmlParserInputBufferPtr input = xmlParserInputBufferCreateMem(bytes, size, XML_CHAR_ENCODING_NONE);
    if (input == NULL) { xmlFreeParserCtxt(ctxt); return NULL; }
    xmlParserInputPtr stream = xmlNewIOInputStream(ctxt, input, XML_CHAR_ENCODING_NONE);
    if (stream == NULL) { xmlFreeParserInputBuffer(input); xmlFreeParserCtxt(ctxt); return NULL; }
    inputPush(ctxt, stream);
    htmlDefaultSAXHandlerInit();
    if (ctxt->sax != NULL) memcpy(ctxt->sax, &htmlDefaultSAXHandler, sizeof(xmlSAXHandlerV1));
    htmlCtxtUseOptions(ctxt, options);
    ctxt->html = 1;
    if (url != NULL && ctxt->input != NULL && ctxt->input->filename == NULL)
        ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)url);
    return ctxt;
}

/* Parses the context's input within `seconds` and `max_nodes`. Returns the document, or NULL
   with `b->stop` saying why (or CLIBXML2_RUNNING when libxml2 built no document). */
static inline htmlDocPtr clibxml2_html_parse(htmlParserCtxtPtr ctxt, clibxml2_budget *b, double seconds, long max_nodes) {
    memset(b, 0, sizeof(*b));
    b->deadline = clibxml2_now() + seconds;
    b->max_nodes = max_nodes;
    xmlSAXHandlerPtr sax = ctxt->sax;
    if (sax == NULL || sax->startElement == NULL) return NULL;
    b->start_element = sax->startElement;
    b->end_element = sax->endElement;
    b->characters = sax->characters;
    b->ignorable_whitespace = sax->ignorableWhitespace;
    b->cdata_block = sax->cdataBlock;
    b->comment = sax->comment;
    b->processing_instruction = sax->processingInstruction;
    sax->startElement = clibxml2_budget_start_element;
    if (b->end_element) sax->endElement = clibxml2_budget_end_element;
    if (b->characters) sax->characters = clibxml2_budget_characters;
    if (b->ignorable_whitespace) sax->ignorableWhitespace = clibxml2_budget_ignorable_whitespace;
    if (b->cdata_block) sax->cdataBlock = clibxml2_budget_cdata_block;
    if (b->comment) sax->comment = clibxml2_budget_comment;
    if (b->processing_instruction) sax->processingInstruction = clibxml2_budget_processing_instruction;
    ctxt->_private = b;

    xmlStructuredErrorFunc saved_handler = xmlStructuredError;
    void *saved_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(ctxt, clibxml2_budget_error);
    htmlParseDocument(ctxt);
    xmlSetStructuredErrorFunc(saved_context, saved_handler);

    ctxt->_private = NULL;
    htmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (b->stop != CLIBXML2_RUNNING && doc != NULL) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    return doc;
}

#endif
