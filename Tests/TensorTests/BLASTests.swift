import Testing
import Tensor

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
    }
}
