// swift-tools-version:6.1
// Benchmarks live in a package of their own so that users of DeepCRL never resolve
// ordo-one/benchmark. Run them with `swift package --package-path Benchmarks benchmark`, and the
// ratio report with `swift run -c release --package-path Benchmarks kernel-ratios`.
import PackageDescription

let package = Package(
    name: "DeepCRLBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "DeepCRL", path: ".."),
        // Only the MallocInterposer trait: the default RuntimeInterposer trait would also pull in
        // ordo-one/swift-runtime-interposer on Linux with Swift 6.3.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Tensor", package: "DeepCRL"), .product(name: "Layers", package: "DeepCRL")]
        ),
        .executableTarget(
            name: "kernel-ratios",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Layers", package: "DeepCRL"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "mujoco-steps",
            dependencies: [
                .product(name: "Environments", package: "DeepCRL"),
                .product(name: "MuJoCoEnvironments", package: "DeepCRL"),
            ]
        ),
        .executableTarget(
            name: "TensorBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tensor", package: "DeepCRL"),
            ],
            path: "Benchmarks/TensorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LayersBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Layers", package: "DeepCRL"),
            ],
            path: "Benchmarks/LayersBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
