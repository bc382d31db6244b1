#ifndef DECANT_CLIBXML2_SHIM_H
#define DECANT_CLIBXML2_SHIM_H

#include <stdint.h>
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

#endif
