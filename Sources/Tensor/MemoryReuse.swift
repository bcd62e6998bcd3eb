import CTensorKernels

/// Process-wide allocator tuning for training loops.
///
/// Every op returns a fresh tensor; with glibc's defaults, blocks of a few hundred KiB are mapped
/// and unmapped around each op, so each step pays page faults on memory it just released
/// (measured: a Dense → LayerNorm → Swish layer at batch 512 ran 2× slower than its GEMMs).
/// ``keepFreedMemory()`` makes glibc serve such blocks from its heap and keep freed memory for
/// reuse, as PyTorch's caching allocator does, in one heap for all threads, so that what one
/// thread frees serves the next (measured: with a heap per thread, kept memory piled up in each
/// and a depth-1024 update peaked at 3.30 GB instead of 3.03). It affects the whole process, so the library never
/// calls it on its own: training entry points (`Trainer`, the examples, the benchmarks) do.
public enum MemoryReuse {
    /// Serves allocations below 32 MiB from one heap shared by all threads and stops returning
    /// freed heap memory to the system. Safe to call more than once; does nothing on platforms without glibc's `mallopt`.
    public static func keepFreedMemory() {
        dcrl_keep_freed_memory()
    }

    /// Returns the freed memory the heap keeps to the system, once (for example between two runs,
    /// so that the next one's peak memory is its own); keeping goes on. Does nothing without glibc.
    public static func returnFreedMemory() {
        dcrl_return_freed_memory()
    }
}
