#ifndef DECANT_CUCHARDET_SHIM_H
#define DECANT_CUCHARDET_SHIM_H
#include <uchardet.h>
#endif
