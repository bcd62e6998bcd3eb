// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "DeepCRL",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "SafeTensors", targets: ["SafeTensors"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Environments", targets: ["Environments"]),
        .library(name: "Algorithms", targets: ["Algorithms"]),
        .library(name: "MuJoCoEnvironments", targets: ["MuJoCoEnvironments"]),
        .library(name: "Distributed", targets: ["Distributed"]),
        .executable(name: "train", targets: ["train"]),
        .executable(name: "bench-update", targets: ["bench-update"]),
        .executable(name: "demo", targets: ["demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Matrix products: oneDNN on Linux (Debian's libdnnl-dev, no pkg-config file: the header is
        // <dnnl.h> on the default include path; its OpenMP runtime is libgomp), OpenBLAS on macOS.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.brew(["openblas"])]
        ),
        .target(
            name: "CGEMM",
            dependencies: [.target(name: "COpenBLAS", condition: .when(platforms: [.macOS]))],
            linkerSettings: [
                .linkedLibrary("dnnl", .when(platforms: [.linux])),
                .linkedLibrary("gomp", .when(platforms: [.linux])),
            ]
        ),
        .target(name: "CTensorKernels", path: "Sources/CTensorKernels"),
        // Debian's libmujoco-dev (MuJoCo 2.2.2) ships no pkg-config file: the module map links
        // `mujoco` and the header is <mujoco/mujoco.h> on the default include path.
        .systemLibrary(
            name: "CMuJoCo",
            path: "Sources/CMuJoCo",
            providers: [.apt(["libmujoco-dev"])]
        ),
        // Open MPI (Debian's libopenmpi-dev, pkg-config `ompi-c`): only the Distributed product
        // links it, so nothing else needs MPI to build.
        .systemLibrary(
            name: "CMPI",
            path: "Sources/CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])]
        ),
        .target(name: "Distributed", dependencies: ["CMPI", "Algorithms"]),
        // One seeded random generator for every product, Foundation only.
        .target(name: "Random"),
        .target(name: "Tensor", dependencies: ["Random", "CGEMM", "CTensorKernels"]),
        // The safetensors file format, Foundation only: usable without the rest of the library.
        .target(name: "SafeTensors"),
        .target(name: "Layers", dependencies: ["Tensor", "SafeTensors"]),
        .target(name: "Environments", dependencies: ["Random"]),
        .target(name: "Algorithms", dependencies: ["Layers", "Environments"]),
        .target(
            name: "MuJoCoEnvironments",
            dependencies: ["Environments", "CMuJoCo"],
            resources: [.copy("Models")]
        ),
        .executableTarget(
            name: "train",
            dependencies: ["ExampleSupport", "Algorithms", "MuJoCoEnvironments", "Distributed", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/train"
        ),
        .executableTarget(
            name: "bench-update",
            dependencies: ["ExampleSupport", "Algorithms", "Distributed", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/bench-update"
        ),
        .executableTarget(
            name: "demo",
            dependencies: ["Tensor", "Layers", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/demo"
        ),
        // What the command-line examples share (their options, evaluating a run, how errors reach
        // the user); not a product.
        .target(
            name: "ExampleSupport",
            dependencies: ["Algorithms", "Plots", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/Support"
        ),
        // Pictures for the examples and the docs (SVG, pure Swift); not a product.
        .target(name: "Plots", dependencies: ["Algorithms"]),
        .executableTarget(
            name: "evaluate",
            dependencies: ["ExampleSupport", "Algorithms", "MuJoCoEnvironments", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/evaluate"
        ),
        .executableTarget(
            name: "sweep",
            dependencies: ["ExampleSupport", "Plots", "Algorithms", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/sweep"
        ),
        .executableTarget(
            name: "custom-environment",
            dependencies: ["ExampleSupport", "Plots", "Algorithms", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/custom-environment"
        ),
        .executableTarget(
            name: "plot",
            dependencies: ["ExampleSupport", "Plots", "Algorithms", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/plot"
        ),
        // The paper's studies: run plans over settings and seeds, resumable and shardable, with
        // their statistics and reports; not a product.
        .target(name: "Studies", dependencies: ["Algorithms", "Plots", "Tensor"]),
        .executableTarget(
            name: "study",
            dependencies: ["ExampleSupport", "Studies", "MuJoCoEnvironments", "Distributed", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/study"
        ),
        .testTarget(name: "StudiesTests", dependencies: ["Studies"]),
        // Run by DistributedTests under `mpirun -np 2`: the collective operations' known answers.
        .executableTarget(name: "distributed-check", dependencies: ["Distributed", "Layers"], path: "Tests/DistributedCheck"),
        .testTarget(name: "DistributedTests", dependencies: ["Algorithms", "Distributed", "SafeTensors", "distributed-check", "study", "train"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        .testTarget(name: "ExampleSupportTests", dependencies: ["ExampleSupport", "Algorithms", "train"]),
        .testTarget(name: "RandomTests", dependencies: ["Random"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "CGEMM"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Tensor"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments"]),
        .testTarget(name: "AlgorithmsTests", dependencies: ["Algorithms"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MuJoCoEnvironmentsTests", dependencies: ["MuJoCoEnvironments", "Environments"]),
    ]
)
