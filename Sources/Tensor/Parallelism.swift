/// How many cores the training math uses, for the code run inside ``withThreads(_:_:)``.
///
/// Inside it, a network splits each training batch into row chunks that run their forward and
/// backward passes at once, each chunk calling single-threaded BLAS, and agents run independent
/// steps concurrently. On the small, skinny matrices of these networks that beats the BLAS's own
/// threads, which spin between calls and leave the elementwise kernels on one core. Results depend
/// on the thread count (the order of sums over a batch), never on timing. The setting is scoped,
/// not global: two trainings in one process can use different counts.
public enum Parallelism {
    /// Fewer rows than this per chunk are not worth a thread.
    public static let minimumRowsPerThread = 32

    @TaskLocal private static var threads = 1
    @TaskLocal private static var insideConcurrentTasks = false

    /// Runs `body` with `count` threads for the training math; when `count` is above 1, every
    /// matrix product `body` calls uses one thread (the threads call them themselves). Other
    /// threads of the process are not affected.
    /// - Precondition: `count` is at least 1.
    public static func withThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        precondition(count >= 1, "Parallelism.withThreads: count must be at least 1, got \(count)")
        guard count > 1 else { return try $threads.withValue(count) { try body() } }
        return try BLAS.withSingleThreadedProducts { try $threads.withValue(count) { try body() } }
    }

    /// The threads available to the caller: the count of the innermost ``withThreads(_:_:)``
    /// (1 outside any), and 1 inside one of two tasks that already occupy the cores.
    public static var availableThreads: Int { insideConcurrentTasks ? 1 : threads }

    /// The number of row chunks worth using for a batch of `rows`.
    public static func chunkCount(rows: Int) -> Int {
        Swift.max(1, Swift.min(availableThreads, rows / minimumRowsPerThread))
    }

    /// Runs `first` and `second` at once on two threads (one after the other when
    /// ``availableThreads`` is 1) and returns when both are done. Inside them
    /// ``availableThreads`` is 1.
    ///
    /// The caller guarantees what the compiler cannot check here: the two closures share no
    /// mutable state, and what one writes the other does not read.
    package static func concurrently(_ first: () -> Void, _ second: () -> Void) {
        guard availableThreads > 1 else {
            first()
            second()
            return
        }
        inParallel(2) { task in
            $insideConcurrentTasks.withValue(true) { task == 0 ? first() : second() }
        }
    }
}
