import Foundation

/// The paper's network: an input hidden layer (Dense → LayerNorm → Swish) to `width`,
/// `depth / 4` residual blocks, and an output Dense layer.
///
/// `depth` counts the Dense layers inside the blocks: depth 4 is one block, depth 1024 is 256.
public final class ResidualMLP: Module, Layer {
    /// Architecture switches, defaults as in the paper.
    public struct Options: Sendable, Equatable, Codable {
        /// Add each block's input to its output.
        public var residual = true
        /// Normalize after every hidden Dense layer.
        public var layerNorm = true
        /// The hidden activation.
        public var activation = Activation.swish
        /// Keep only block inputs during the forward pass and recompute each block in backward,
        /// so very deep networks train in bounded memory (same gradients; one extra forward pass per
        /// block, measured 1.25–1.6× the time of a step without it).
        public var recomputesActivations = false

        /// Creates options; every argument defaults to the paper's choice.
        public init(
            residual: Bool = true, layerNorm: Bool = true, activation: Activation = .swish,
            recomputesActivations: Bool = false
        ) {
            self.residual = residual
            self.layerNorm = layerNorm
            self.activation = activation
            self.recomputesActivations = recomputesActivations
        }
    }

    /// The input layer, `inputSize` → `width`.
    public let input: HiddenLayer
    /// The residual blocks, `depth / 4` of them.
    public let blocks: [ResidualBlock]
    /// The output layer, `width` → `outputSize`.
    public let output: Dense
    /// The architecture switches the network was built with.
    public let options: Options

    /// Creates a network; throws if a size is below 1, `depth` is not a positive multiple of 4,
    /// or the weights with their gradients and Adam moments would not fit in this machine's memory.
    public init(
        inputSize: Int, width: Int, depth: Int, outputSize: Int, options: Options = Options(),
        generator: inout RandomGenerator
    ) throws {
        guard depth >= 4, depth % 4 == 0 else {
            throw LayersError.invalidSetting(name: "depth", value: "\(depth)", expected: "a positive multiple of 4 (4, 8, …, 1024)")
        }
        for (name, size) in [("ResidualMLP width", width), ("ResidualMLP input size", inputSize), ("ResidualMLP output size", outputSize)] {
            try requirePositive(size, name)
        }
        try Self.requireFits(inputSize: inputSize, width: width, depth: depth, outputSize: outputSize)
        input = try HiddenLayer(
            inputSize: inputSize, outputSize: width, layerNorm: options.layerNorm, activation: options.activation,
            generator: &generator)
        var blocks: [ResidualBlock] = []
        for _ in 0..<(depth / 4) {
            blocks.append(try ResidualBlock(
                width: width, residual: options.residual, layerNorm: options.layerNorm,
                activation: options.activation, generator: &generator))
        }
        self.blocks = blocks
        output = try Dense(inputSize: width, outputSize: outputSize, generator: &generator)
        self.options = options
        super.init()
        allParameters = parameters
        blockParameters = blocks.map(\.parameters)
    }

    /// Throws unless the weights of such a network, 4 bytes each, times 4 (weights, gradients and
    /// Adam's two moments) fit in the machine's physical memory.
    static func requireFits(inputSize: Int, width: Int, depth: Int, outputSize: Int) throws {
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        // Doubles: exact enough for a size check, and no overflow for any Int.
        let (w, d) = (Double(width), Double(depth))
        let weights = Double(inputSize) * w + d * (w * w + 3 * w) + w * Double(outputSize) + Double(outputSize)
        let bytes = weights * 4 * 4
        guard bytes <= memory else {
            throw LayersError.invalidSetting(
                name: "network of width \(width) and depth \(depth)",
                value: "\(String(format: "%.3g", weights)) weights, so \(String(format: "%.3g", bytes / 1e9)) GB with their gradients and Adam moments",
                expected: "at most this machine's \(String(format: "%.3g", memory / 1e9)) GB")
        }
    }

    /// Every parameter, and each block's, listed once (the module tree never changes).
    private var allParameters: [Parameter] = []
    private var blockParameters: [[Parameter]] = []

    /// The network's output for a batch `x` of `[rows, inputSize]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        output(blocks.reduce(input(x)) { $1($0) })
    }

    /// The output on `x`'s tape; recomputes block activations in backward if ``Options-swift.struct/recomputesActivations``.
    ///
    /// Inside `Parallelism.withThreads(n)` with n above 1, a batch of enough rows (see
    /// `Parallelism.chunkCount(rows:)`) is split into row chunks that run at once:
    /// the whole network per chunk, or each block per chunk when recomputing activations (so the
    /// chunks never hold more than one block's gradients).
    public func callAsFunction(_ x: Variable) -> Variable {
        let parts = Parallelism.chunkCount(rows: x.value.rowCount)
        guard parts > 1, !options.recomputesActivations else { return layers(x, parts: parts) }
        return x.splittingRows(into: parts, parameters: allParameters) { self.layers($0, parts: 1) }
    }

    private func layers(_ x: Variable, parts: Int) -> Variable {
        let hidden = blocks.enumerated().reduce(input(x)) { h, indexed in
            let (index, block) = indexed
            guard options.recomputesActivations else { return block(h) }
            let parameters = blockParameters[index]
            return h.splittingRows(into: parts, parameters: parameters) { chunk in
                chunk.recomputing(parameters: parameters) { block($0) }
            }
        }
        return output(hidden)
    }
}
