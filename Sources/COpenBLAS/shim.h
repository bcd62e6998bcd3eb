#ifndef DEEPCRL_COPENBLAS_SHIM_H
#define DEEPCRL_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
