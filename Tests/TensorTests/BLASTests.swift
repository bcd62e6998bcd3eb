import Testing
import Tensor

@Suite struct BLASTests {
    @Test func threadCountCanBeSetAndProductsStayExact() {
        let original = BLAS.threadCount
        defer { BLAS.threadCount = original }
        MemoryReuse.keepFreedMemory()
        BLAS.threadCount = 1
        #expect(BLAS.threadCount == 1)
        let a = Tensor([[1, 2], [3, 4]])
        #expect(matmul(a, a).scalars == [7, 10, 15, 22])
        BLAS.threadCount = 0
        #expect(BLAS.threadCount == 1, "a count below 1 is raised to 1")
    }
}
