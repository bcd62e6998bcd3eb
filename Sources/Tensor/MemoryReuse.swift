import CTensorKernels

/// Process-wide allocator tuning for training loops.
///
/// Every op returns a fresh tensor; with glibc's defaults, blocks of a few hundred KiB are mapped
/// and unmapped around each op, so each step pays page faults on memory it just released
/// (measured: a Dense → LayerNorm → Swish layer at batch 512 ran 2× slower than its GEMMs).
/// ``keepFreedMemory()`` makes glibc serve such blocks from its heap and keep freed memory for
/// reuse, as PyTorch's caching allocator does. It affects the whole process, so the library never
/// calls it on its own: training entry points (`Trainer`, the examples, the benchmarks) do.
public enum MemoryReuse {
    /// Serves allocations below 32 MiB from the heap and stops returning freed heap memory to the
    /// system. Safe to call more than once; does nothing on platforms without glibc's `mallopt`.
    public static func keepFreedMemory() {
        dcrl_keep_freed_memory()
    }
}
