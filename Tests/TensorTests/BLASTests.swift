import Foundation
import Testing
@testable import Tensor
#if os(Linux)
import CGEMM
#endif

@Suite struct BLASTests {
    /// Reads and re-applies the thread count (changing it here could race with tests running in
    /// parallel), and checks products after the allocator tuning training entry points call.
    @Test func threadCountRoundTripsAndProductsStayExact() {
        let current = BLAS.threadCount
        #expect(current >= 1)
        BLAS.threadCount = current
        #expect(BLAS.threadCount == current)
        MemoryReuse.keepFreedMemory()
        let a = Tensor([[1, 2], [3, 4]])
        #expect(matmul(a, a).scalars == [7, 10, 15, 22])
        MemoryReuse.returnFreedMemory()  // once; keeping goes on
        #expect(matmul(a, a).scalars == [7, 10, 15, 22])
    }

    /// The kernel is as wide as the CPU: on a CPU with AVX2 (or AVX-512), never a generic one.
    @Test func kernelUsesTheCPUsFullVectorWidth() {
        let backend = BLAS.backend
        #expect(!backend.name.isEmpty && !backend.kernel.isEmpty)
        #expect(backend.version.first?.isNumber == true, "version \(backend.version)")
        #if os(Linux) && arch(x86_64)
        // The CPU check agrees with the kernel's own list of the CPU's features.
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        let expected = flags.contains("avx512f") ? 512 : flags.contains("avx2") && flags.contains("fma") ? 256 : 0
        #expect(backend.cpuVectorBits == expected, "flags: \(flags.sorted())")
        #endif
        #expect(backend.kernelVectorBits >= backend.cpuVectorBits, "\(backend) on a CPU with \(backend.cpuVectorBits)-bit vectors")
        #expect(!backend.isNarrowerThanCPU && backend.warning == nil)
        #expect(backend.description.contains(backend.kernel))
    }

    #if os(Linux)
    /// oneDNN's instruction-set levels (`dnnl_cpu_isa_t` of oneDNN 2.6) and their vector widths.
    @Test func everyOneDNNLevelHasItsVectorWidth() {
        let levels: [(isa: Int32, bits: Int32)] = [
            (0x1, 0), (0x3, 0), (0x7, 256), (0x407, 256),                     // sse41, avx, avx2, avx2_vnni
            (0xf, 512), (0x1f, 512), (0x27, 512), (0x67, 512), (0xe7, 512), (0x3e7, 512),  // avx512 mic … core_amx
        ]
        for (isa, bits) in levels { #expect(gemm_isa_vector_bits(isa) == bits, "isa 0x\(String(isa, radix: 16))") }
    }
    #endif

    @Test func warnsWithTheRemedyWhenTheKernelIsNarrowerThanTheCPU() throws {
        let generic = BLAS.Backend(name: "OpenBLAS", version: "0.3.21", kernel: "Prescott", kernelVectorBits: 0, cpuVectorBits: 512)
        let warning = try #require(generic.warning)
        #expect(warning.contains("Prescott") && warning.contains("AVX-512") && warning.contains("OPENBLAS_CORETYPE=SkylakeX"))
        let capped = BLAS.Backend(name: "oneDNN", version: "2.6.3", kernel: "sse41", kernelVectorBits: 0, cpuVectorBits: 256)
        #expect(capped.warning?.contains("ONEDNN_MAX_CPU_ISA") == true)
        let right = BLAS.Backend(name: "oneDNN", version: "2.6.3", kernel: "avx2", kernelVectorBits: 256, cpuVectorBits: 256)
        #expect(right.warning == nil)
    }

    /// `multiply` against a plain triple loop, for every transpose combination, odd sizes, and
    /// alpha and beta other than 1 and 0.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func multiplyMatchesTheDefinition(transposeA: Bool, transposeB: Bool) {
        let (m, n, k) = (5, 7, 33)
        let (alpha, beta): (Float, Float) = (0.5, -2)
        let a = random(transposeA ? [k, m] : [m, k], seed: 1).scalars
        let b = random(transposeB ? [n, k] : [k, n], seed: 2).scalars
        let c0 = random([m, n], seed: 3).scalars
        var expected = c0
        for i in 0..<m {
            for j in 0..<n {
                var sum: Double = 0
                for l in 0..<k {
                    let x = transposeA ? a[l * m + i] : a[i * k + l]
                    let y = transposeB ? b[j * k + l] : b[l * n + j]
                    sum += Double(x) * Double(y)
                }
                expected[i * n + j] = Float(Double(alpha) * sum + Double(beta) * Double(c0[i * n + j]))
            }
        }
        var c = c0
        BLAS.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c, m: m, n: n, k: k, alpha: alpha, beta: beta)
        #expect(close(Tensor(shape: [m, n], scalars: c), Tensor(shape: [m, n], scalars: expected), tolerance: 1e-5))
    }

    #if os(Linux)
    /// bfloat16 products round each operand to bfloat16 (to nearest, ties to even) and
    /// accumulate in float32: they match the definition on rounded operands, not on the
    /// originals. Called directly, as switching the process's precision would change the products
    /// of tests running alongside; on a CPU without AVX512-BF16 the switch is refused, naming why.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func bfloat16ProductsRoundTheOperands(transposeA: Bool, transposeB: Bool) throws {
        guard BLAS.supports(.bfloat16) else {
            #expect(throws: BLAS.UnsupportedPrecision.self) { try BLAS.setPrecision(.bfloat16) }
            #expect(BLAS.precision == .float32)
            #expect("\(BLAS.UnsupportedPrecision(precision: .bfloat16))".contains("AVX512-BF16"))
            var c: [Float] = [0]
            #expect(gemm_multiply_bfloat16(false, false, 1, 1, 1, 1, [1], [1], 0, &c) != 0)
            return
        }
        let (m, n, k) = (5, 19, 37)  // 37 · 5 = 185 elements: vector body and scalar tail
        let (alpha, beta): (Float, Float) = (0.5, -2)
        let a = random(transposeA ? [k, m] : [m, k], seed: 1).scalars
        let b = random(transposeB ? [n, k] : [k, n], seed: 2).scalars
        let c0 = random([m, n], seed: 3).scalars
        func product(rounding: Bool) -> [Float] {
            var expected = c0
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Double = 0
                    for l in 0..<k {
                        let x = transposeA ? a[l * m + i] : a[i * k + l], y = transposeB ? b[j * k + l] : b[l * n + j]
                        sum += rounding ? Double(Self.bfloat16(x)) * Double(Self.bfloat16(y)) : Double(x) * Double(y)
                    }
                    expected[i * n + j] = Float(Double(alpha) * sum + Double(beta) * Double(c0[i * n + j]))
                }
            }
            return expected
        }
        var c = c0
        #expect(gemm_multiply_bfloat16(transposeA, transposeB, Int64(m), Int64(n), Int64(k), alpha, a, b, beta, &c) == 0)
        let result = Tensor(shape: [m, n], scalars: c)
        #expect(close(result, Tensor(shape: [m, n], scalars: product(rounding: true)), tolerance: 1e-5))
        #expect(!close(result, Tensor(shape: [m, n], scalars: product(rounding: false)), tolerance: 1e-4))
        // Small integers are exact in bfloat16: the product is exact.
        var exact: [Float] = [0, 0, 0, 0]
        #expect(gemm_multiply_bfloat16(false, false, 2, 2, 2, 1, [1, 2, 3, 4], [5, 6, 7, 8], 0, &exact) == 0)
        #expect(exact == [19, 22, 43, 50])
    }

    /// bfloat16 of `value`, rounded to nearest with ties to even.
    static func bfloat16(_ value: Float) -> Float {
        let bits = value.bitPattern
        let rounded = (bits &+ 0x7fff &+ ((bits >> 16) & 1)) & 0xffff_0000
        return Float(bitPattern: rounded)
    }

    @Test func bfloat16RoundsToNearestWithTiesToEven() {
        #expect(Self.bfloat16(1 + 1.0 / 256) == 1)  // halfway between 1 and 1 + 2⁻⁷: to the even one
        #expect(Self.bfloat16(1 + 3.0 / 256) == 1 + 4.0 / 256)
        #expect(Self.bfloat16(1 + 1.5 / 256) == 1 + 2.0 / 256)
    }
    #endif
}
