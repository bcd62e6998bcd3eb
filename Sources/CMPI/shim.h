#ifndef DEEPCRL_CMPI_SHIM_H
#define DEEPCRL_CMPI_SHIM_H
#include <mpi.h>

// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are macros taking the address of
// global objects, which Swift cannot import; these functions return them.
static inline MPI_Comm deepcrl_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype deepcrl_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Op deepcrl_mpi_sum(void) { return MPI_SUM; }
static inline void *deepcrl_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Errhandler deepcrl_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int deepcrl_mpi_success(void) { return MPI_SUCCESS; }
static inline int deepcrl_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int deepcrl_mpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }

#endif
