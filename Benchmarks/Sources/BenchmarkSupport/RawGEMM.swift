import Tensor

// The baselines every ratio is measured against: the GEMMs a network performs, called directly on
// preallocated buffers through `BLAS.multiply` (the call the Tensor module makes), with nothing
// else around them.

/// The three GEMMs of one Dense layer `y = x·W` (x `[batch, in]`, W `[in, out]`), forward and backward:
/// `y = x·W`, `dx = g·Wᵀ` and `dW = xᵀ·g`, on buffers filled with small nonzero values.
public final class DenseGEMMs {
    public let batch: Int
    public let inputSize: Int
    public let outputSize: Int
    private let x, w, y, g, dx, dw: UnsafeMutableBufferPointer<Float>

    public init(batch: Int, inputSize: Int, outputSize: Int) {
        (self.batch, self.inputSize, self.outputSize) = (batch, inputSize, outputSize)
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            for i in b.indices { b[i] = Float(i % 17) * 0.01 - 0.08 }
            return b
        }
        (x, w, y) = (buffer(batch * inputSize), buffer(inputSize * outputSize), buffer(batch * outputSize))
        (g, dx, dw) = (buffer(batch * outputSize), buffer(batch * inputSize), buffer(inputSize * outputSize))
    }

    deinit {
        for b in [x, w, y, g, dx, dw] { b.deallocate() }
    }

    /// FLOPs of one forward GEMM: 2·batch·in·out.
    public var forwardFLOPs: Double { 2 * Double(batch) * Double(inputSize) * Double(outputSize) }

    /// `y = x·W`.
    public func forward() {
        BLAS.multiply(x.baseAddress!, transposeA: false, w.baseAddress!, transposeB: false,
                      into: y.baseAddress!, m: batch, n: outputSize, k: inputSize)
    }

    /// `dx = g·Wᵀ` and `dW = xᵀ·g`.
    public func backward() {
        BLAS.multiply(g.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                      into: dx.baseAddress!, m: batch, n: inputSize, k: outputSize)
        BLAS.multiply(x.baseAddress!, transposeA: true, g.baseAddress!, transposeB: false,
                      into: dw.baseAddress!, m: inputSize, n: outputSize, k: batch)
    }

    /// Forward then backward: 3 × ``forwardFLOPs``.
    public func forwardBackward() {
        forward()
        backward()
    }
}

/// The GEMMs of a `ResidualMLP` forward and backward pass (input layer, `depth` hidden layers of
/// `width`, output layer), each layer's forward in order, then each layer's backward in reverse.
public final class ResidualMLPGEMMs {
    private let input: DenseGEMMs
    private let hidden: DenseGEMMs
    private let output: DenseGEMMs
    public let depth: Int

    public init(batch: Int, inputSize: Int, width: Int, depth: Int, outputSize: Int) {
        input = DenseGEMMs(batch: batch, inputSize: inputSize, outputSize: width)
        hidden = DenseGEMMs(batch: batch, inputSize: width, outputSize: width)
        output = DenseGEMMs(batch: batch, inputSize: width, outputSize: outputSize)
        self.depth = depth
    }

    /// FLOPs of the forward and backward GEMMs: 3 × 2·batch·in·out per Dense layer.
    public var flops: Double {
        3 * (input.forwardFLOPs + Double(depth) * hidden.forwardFLOPs + output.forwardFLOPs)
    }

    public func forwardBackward() {
        input.forward()
        for _ in 0..<depth { hidden.forward() }
        output.forward()
        output.backward()
        for _ in 0..<depth { hidden.backward() }
        input.backward()
    }
}
