// Raw OpenBLAS for the benchmarks' baselines (DeepCRL's own COpenBLAS target is not a product).
#ifndef DEEPCRL_BENCHMARKS_CBLAS_SHIM_H
#define DEEPCRL_BENCHMARKS_CBLAS_SHIM_H
#include <cblas.h>
#endif
