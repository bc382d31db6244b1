#ifndef DECANT_CZLIB_SHIM_H
#define DECANT_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; expose it as a function Swift can call.
   windowBits 15+32 accepts both zlib and gzip headers. */
static inline int czlib_inflate_init(z_streamp strm) {
    return inflateInit2(strm, 15 + 32);
}
#endif
