#ifndef DECANT_CIDN2_SHIM_H
#define DECANT_CIDN2_SHIM_H
#include <idn2.h>
#endif
