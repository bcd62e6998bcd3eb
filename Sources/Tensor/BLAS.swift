import Foundation

import CGEMM

/// The library behind matrix products: which one, the kernel it chose for this CPU, its threads.
///
/// On Linux the products run on oneDNN, whose JIT compiles its kernels for the instruction sets
/// the CPU reports (AVX2, AVX-512), so a CPU newer than the library still gets full-width
/// kernels; on macOS they run on OpenBLAS. The Tensor documentation's article "Matrix products"
/// says why, with the measurements.
public enum BLAS {
    /// The number of threads each matrix product uses, in every thread that calls one (default:
    /// one per core), except inside `Parallelism.withThreads(_:_:)` with more than one thread and
    /// in its worker threads, where each product uses one. Values below 1 are taken as 1.
    public static var threadCount: Int {
        get { Int(gemm_thread_count()) }
        set { gemm_set_thread_count(Int32(clamping: Swift.max(1, newValue))) }
    }

    /// What runs the matrix products on this machine.
    public static let backend = Backend()

    /// A matrix-product library as loaded in this process, and the kernel it chose.
    public struct Backend: Sendable, CustomStringConvertible {
        /// The library: "oneDNN" on Linux, "OpenBLAS" on macOS.
        public let name: String
        /// Its version, such as "2.6.3".
        public let version: String
        /// The instruction set or kernel it chose: "avx2", "avx512_core", … for oneDNN, the core
        /// name ("Haswell", "SkylakeX", "Prescott", …) for OpenBLAS.
        public let kernel: String
        /// The vector width of that kernel in bits: 512 (AVX-512), 256 (AVX2), 0 (generic).
        public let kernelVectorBits: Int
        /// The widest vectors this CPU offers such kernels: 512 (AVX-512), 256 (AVX2 with FMA), 0.
        public let cpuVectorBits: Int

        init(name: String, version: String, kernel: String, kernelVectorBits: Int, cpuVectorBits: Int) {
            (self.name, self.version, self.kernel) = (name, version, kernel)
            (self.kernelVectorBits, self.cpuVectorBits) = (kernelVectorBits, cpuVectorBits)
        }

        init() {
            name = String(cString: gemm_backend_name())
            var text = [CChar](repeating: 0, count: 64)
            gemm_backend_version(&text, Int32(text.count))
            version = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            kernel = String(cString: gemm_kernel_name())
            kernelVectorBits = Int(gemm_kernel_vector_bits())
            cpuVectorBits = Int(gemm_cpu_vector_bits())
        }

        /// Whether the kernel leaves vector width of this CPU unused, as a generic kernel does on
        /// a CPU with AVX2: products then run at a fraction of the speed the CPU has.
        public var isNarrowerThanCPU: Bool { kernelVectorBits < cpuVectorBits }

        /// For example "oneDNN 2.6.3, avx2 kernel".
        public var description: String { "\(name) \(version), \(kernel) kernel" }

        /// What to do about a kernel narrower than the CPU, or nil when the kernel is right.
        public var warning: String? {
            guard isNarrowerThanCPU else { return nil }
            let cpu = cpuVectorBits == 512 ? "AVX-512" : "AVX2"
            let remedy = name == "OpenBLAS"
                ? "set OPENBLAS_CORETYPE=\(cpuVectorBits == 512 ? "SkylakeX" : "Haswell") in the environment before the program starts"
                : "unset ONEDNN_MAX_CPU_ISA and DNNL_MAX_CPU_ISA, which cap the instruction set"
            return "warning: \(description) runs on a CPU with \(cpu): matrix products run at a fraction of "
                + "the speed this CPU has. To fix it, \(remedy)."
        }
    }

    /// The number format matrix products multiply in; products always accumulate and store in
    /// float32.
    public enum Precision: String, Sendable, CaseIterable, Codable {
        /// float32 operands: the default, and the only precision on CPUs without AVX512-BF16.
        case float32
        /// Operands rounded to bfloat16 (8 significant bits, to nearest, ties to even) before
        /// each product, which then runs on the CPU's bfloat16 instructions: about twice the
        /// float32 throughput on CPUs with AVX512-BF16, at about 3 significant decimal digits per
        /// operand. Parameters, optimizer state and everything but the products stay float32.
        case bfloat16
    }

    /// A precision this machine cannot multiply in.
    public struct UnsupportedPrecision: Error, CustomStringConvertible, Sendable {
        /// The precision asked for.
        public let precision: Precision
        /// Says what was asked for and what this machine lacks.
        public var description: String {
            "matrix products in \(precision.rawValue) need a CPU with AVX512-BF16 and oneDNN on Linux; "
                + "this machine runs \(backend) on a CPU without them (use float32)"
        }
    }

    /// Whether matrix products can run in `precision` on this machine (bfloat16: a CPU with
    /// AVX512-BF16, such as Intel Cooper Lake and Sapphire Rapids or AMD Zen 4 and later, and
    /// oneDNN on Linux).
    public static func supports(_ precision: Precision) -> Bool {
        precision == .float32 || gemm_bfloat16_supported()
    }

    /// The precision every matrix product of the process multiplies in (default float32).
    public static var precision: Precision { gemm_bfloat16() ? .bfloat16 : .float32 }

    /// Makes every matrix product of the process, in every thread, multiply in `precision` from
    /// now on; throws ``UnsupportedPrecision`` when this machine cannot (see ``supports(_:)``).
    public static func setPrecision(_ precision: Precision) throws(UnsupportedPrecision) {
        guard gemm_set_bfloat16(precision == .bfloat16) == 0 else { throw UnsupportedPrecision(precision: precision) }
    }

    /// Runs `body` with every product it calls on this thread in `precision`, whatever
    /// ``precision`` says (products that need float32, such as a distance's cross term).
    /// - Precondition: ``supports(_:)`` `precision`.
    static func withProducts<Result>(in precision: Precision, _ body: () throws -> Result) rethrows -> Result {
        precondition(supports(precision), "BLAS.withProducts(in: \(precision)) on a machine without it")
        let previous = gemm_exchange_precision_override(precision == .bfloat16 ? 2 : 1)
        defer { _ = gemm_exchange_precision_override(previous) }
        return try body()
    }

    /// Runs `body` with every product it calls on this thread single-threaded (the caller already
    /// keeps the other cores busy), whatever ``threadCount`` says.
    static func withSingleThreadedProducts<Result>(_ body: () throws -> Result) rethrows -> Result {
        let previous = gemm_exchange_thread_override(1)
        defer { _ = gemm_exchange_thread_override(previous) }
        return try body()
    }

    /// Prints ``Backend/warning`` to standard error on the first matrix product, if there is one.
    static let warnOnce: Void = {
        if let warning = backend.warning { try? FileHandle.standardError.write(contentsOf: Data((warning + "\n").utf8)) }
    }()

    /// Computes `c = alpha · op(a) · op(b) + beta · c` on row-major buffers with the library's
    /// kernel: `op(a)` is `m × k`, `op(b)` is `k × n`, `c` is `m × n`, and `op` transposes when its
    /// flag is set (a transposed `a` is stored `k × m`). Operands are multiplied in ``precision``.
    /// This is the call every product of the Tensor module makes; benchmarks use it as their
    /// baseline.
    /// - Precondition: `m`, `n` and `k` are positive and the buffers hold the matrices.
    public static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(m > 0 && n > 0 && k > 0, "BLAS.multiply: sizes must be positive, got m \(m), n \(n), k \(k)")
        _ = warnOnce
        let status = gemm_multiply(transposeA, transposeB, Int64(m), Int64(n), Int64(k), alpha, a, b, beta, c)
        precondition(status == 0, "BLAS.multiply: \(backend.name) failed with status \(status) on m \(m), n \(n), k \(k)")
    }
}
