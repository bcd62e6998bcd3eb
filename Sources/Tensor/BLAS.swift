import COpenBLAS

/// Settings of the BLAS library behind matrix products.
public enum BLAS {
    /// The number of threads OpenBLAS uses for each matrix product (its default: one per core).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(Swift.max(1, newValue))) }
    }
}
