import Testing
import Layers

@Suite struct LayerTests {
    func input(_ shape: [Int], seed: UInt64 = 5) -> Tensor {
        var g = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, using: &g)
    }

    @Test func denseInitializationMatchesTheReference() throws {
        var g = RandomGenerator(seed: 1)
        let layer = try Dense(inputSize: 16, outputSize: 300, generator: &g)
        let limit: Float = 0.25
        #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= limit })
        #expect(layer.weight.value.scalars.max()! > 0.9 * limit)
        #expect(layer.bias.value.scalars.allSatisfy { $0 == 0 })
        let norm = try LayerNorm(width: 4)
        #expect(norm.scale.value.scalars == [1, 1, 1, 1] && norm.offset.value.scalars == [0, 0, 0, 0])
    }

    @Test func sameSeedSameNetwork() throws {
        var g1 = RandomGenerator(seed: 9), g2 = RandomGenerator(seed: 9)
        let a = try ResidualMLP(inputSize: 3, width: 8, depth: 4, outputSize: 2, generator: &g1)
        let b = try ResidualMLP(inputSize: 3, width: 8, depth: 4, outputSize: 2, generator: &g2)
        #expect(a.stateDictionary() == b.stateDictionary())
    }

    @Test func gradientsOfEveryLayer() throws {
        var g = RandomGenerator(seed: 2)
        let x = input([3, 5])
        let dense = try Dense(inputSize: 5, outputSize: 4, generator: &g)
        checkModuleGradients(dense, input: x) { dense($0) }
        let norm = try LayerNorm(width: 5)
        norm.scale.value = Tensor([1, 2, 0.5, 1, 1.5])
        checkModuleGradients(norm, input: x) { norm($0) }
        let swish = Swish()
        checkModuleGradients(swish, input: x) { swish($0) }
        for activation in Activation.allCases {
            for layerNorm in [true, false] {
                let hidden = try HiddenLayer(inputSize: 5, outputSize: 6, layerNorm: layerNorm, activation: activation, generator: &g)
                checkModuleGradients(hidden, input: x) { hidden($0) }
            }
        }
        let block = try ResidualBlock(width: 5, generator: &g)
        checkModuleGradients(block, input: x) { block($0) }
    }

    /// The inference forward and the taped one are two code paths for one function: they must agree.
    @Test func plainAndTapedForwardsAgree() throws {
        var g = RandomGenerator(seed: 4)
        let x = input([6, 5])
        var layers: [any Layer] = [try Dense(inputSize: 5, outputSize: 5, generator: &g), try LayerNorm(width: 5), Swish()]
        for activation in Activation.allCases {
            for layerNorm in [true, false] {
                layers.append(try HiddenLayer(inputSize: 5, outputSize: 5, layerNorm: layerNorm, activation: activation, generator: &g))
            }
        }
        layers.append(try ResidualBlock(width: 5, generator: &g))
        for recomputes in [false, true] {
            layers.append(try ResidualMLP(
                inputSize: 5, width: 7, depth: 8, outputSize: 5, options: .init(recomputesActivations: recomputes), generator: &g))
        }
        for layer in layers {
            let plain = layer(x)
            let taped = layer(Tape().constant(x)).value
            #expect(plain.shape == taped.shape)
            #expect(zip(plain.scalars, taped.scalars).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }, "\(type(of: layer))")
        }
    }

    @Test(arguments: [false, true])
    func gradientsOfADepth8Network(recomputes: Bool) throws {
        var g = RandomGenerator(seed: 3)
        let options = ResidualMLP.Options(recomputesActivations: recomputes)
        let net = try ResidualMLP(inputSize: 3, width: 8, depth: 8, outputSize: 2, options: options, generator: &g)
        checkModuleGradients(net, input: input([4, 3])) { net($0) }
    }

    @Test func recomputationGivesIdenticalGradients() throws {
        var g1 = RandomGenerator(seed: 4), g2 = RandomGenerator(seed: 4)
        let plain = try ResidualMLP(inputSize: 3, width: 16, depth: 8, outputSize: 2, generator: &g1)
        let recomputed = try ResidualMLP(
            inputSize: 3, width: 16, depth: 8, outputSize: 2,
            options: .init(recomputesActivations: true), generator: &g2)
        let x = input([5, 3])
        func grads(_ net: ResidualMLP) -> [Tensor?] {
            let tape = Tape()
            let y = net(tape.variable(x))
            let g = tape.gradients(of: y.squared().sum())
            return net.parameters.map { g[$0] }
        }
        #expect(grads(plain) == grads(recomputed))
        #expect(plain(x) == recomputed(x))
    }

    @Test(arguments: [false, true])
    func splittingTheBatchAcrossThreadsKeepsOutputsAndGradients(recomputes: Bool) throws {
        var g = RandomGenerator(seed: 8)
        let net = try ResidualMLP(
            inputSize: 3, width: 16, depth: 8, outputSize: 2, options: .init(recomputesActivations: recomputes), generator: &g)
        let x = input([96, 3])
        func run(threads: Int) -> (Tensor, [Tensor?]) {
            Parallelism.withThreads(threads) {
                let tape = Tape()
                let y = net(tape.variable(x))
                let gradients = tape.gradients(of: y.squared().sum())
                return (y.value, net.parameters.map { gradients[$0] })
            }
        }
        let (plainValue, plainGradients) = run(threads: 1)
        let (splitValue, splitGradients) = run(threads: 2)
        #expect(splitValue == plainValue)
        #expect(splitGradients.count == plainGradients.count)
        for (split, plain) in zip(splitGradients, plainGradients) { #expect(close(split!, plain!, tolerance: 1e-4)) }
    }

    @Test func residualOffReallyRemovesTheSkip() throws {
        var g1 = RandomGenerator(seed: 6), g2 = RandomGenerator(seed: 6)
        let with = try ResidualBlock(width: 4, generator: &g1)
        let without = try ResidualBlock(width: 4, residual: false, generator: &g2)
        let x = input([2, 4])
        #expect(close(with(x) - without(x), x))
    }

    @Test func invalidSizesThrowClearErrors() {
        var g = RandomGenerator(seed: 1)
        #expect(throws: LayersError.invalidSetting(name: "depth", value: "6", expected: "a positive multiple of 4 (4, 8, …, 1024)")) {
            try ResidualMLP(inputSize: 2, width: 8, depth: 6, outputSize: 1, generator: &g)
        }
        #expect(throws: LayersError.self) { try ResidualMLP(inputSize: 0, width: 8, depth: 4, outputSize: 1, generator: &g) }
        #expect(throws: LayersError.self) { try ResidualMLP(inputSize: 2, width: 0, depth: 4, outputSize: 1, generator: &g) }
        #expect(throws: LayersError.self) { try ResidualMLP(inputSize: 2, width: 8, depth: 4, outputSize: 0, generator: &g) }
    }

    @Test func parameterNamesAreStableAndCounted() throws {
        var g = RandomGenerator(seed: 1)
        let net = try ResidualMLP(inputSize: 3, width: 8, depth: 8, outputSize: 2, generator: &g)
        let names = net.namedParameters.map(\.name)
        #expect(names.first == "input.dense.weight")
        #expect(names.contains("blocks.1.layers.3.norm.scale"))
        #expect(names.last == "output.bias")
        // input 3·8+8 + LN 16, 8 hidden layers of 8·8+8+16, output 8·2+2
        #expect(net.parameterCount == (24 + 8 + 16) + 8 * (64 + 8 + 16) + 18)
    }

    @Test func depth1024StaysFiniteAtInitialization() throws {
        var g = RandomGenerator(seed: 1)
        let net = try ResidualMLP(
            inputSize: 6, width: 64, depth: 1024, outputSize: 4,
            options: .init(recomputesActivations: true), generator: &g)
        let x = input([8, 6])
        let tape = Tape()
        let y = net(tape.variable(x))
        #expect(y.value.isFinite)
        let grads = tape.gradients(of: y.squared().mean())
        #expect(net.parameters.allSatisfy { grads[$0]?.isFinite ?? false })
    }

    @Test func loadChecksNamesAndShapes() throws {
        var g = RandomGenerator(seed: 1)
        let net = try ResidualMLP(inputSize: 3, width: 8, depth: 4, outputSize: 2, generator: &g)
        var state = net.stateDictionary()
        state["output.bias"] = Tensor.zeros([3])
        #expect(throws: LayersError.stateMismatch("parameter 'output.bias' has shape [3], expected [2]")) {
            try net.load(state)
        }
        state["output.bias"] = nil
        #expect(throws: LayersError.stateMismatch("missing parameter 'output.bias'")) { try net.load(state) }
    }

    /// Sizes whose weights could never be allocated are refused with the memory they would need,
    /// before anything is allocated.
    @Test(arguments: [(1 << 40, 4), (256, 1 << 60), (Int.max, 4), (65_536, 4_096)])
    func refusesNetworksLargerThanTheMachine(width: Int, depth: Int) {
        var generator = RandomGenerator(seed: 0)
        #expect {
            _ = try ResidualMLP(inputSize: 8, width: width, depth: depth, outputSize: 4, generator: &generator)
        } throws: { error in
            "\(error)".contains("GB with their gradients and Adam moments, expected at most this machine's")
        }
    }
}

func close(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
}
