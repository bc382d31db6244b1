#ifndef DECANT_CZLIB_SHIM_H
#define DECANT_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; expose it as a function Swift can call.
   windowBits 15+32 accepts both zlib and gzip headers. */
static inline int czlib_inflate_init(z_streamp strm) {
    return inflateInit2(strm, 15 + 32);
}
static inline int czlib_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
