import CMPI
import Foundation

/// The processes of one MPI job (`MPI_COMM_WORLD`): their number, this one's rank, and the
/// collective operations data-parallel training needs. Every process must call the same
/// collective operations in the same order with buffers of the same size.
///
/// ```swift
/// let world = try Communicator.world()       // in a program started by `mpirun -np 2 …`
/// var gradient: [Float] = …
/// try world.allreduceAverage(&gradient)      // every rank now holds the mean
/// ```
///
/// MPI errors come back as ``DistributedError`` (the communicator returns errors instead of
/// aborting). MPI is initialized once per process (`MPI_THREAD_MULTIPLE`) and finalized when it
/// exits. A communicator makes its calls one at a time, from whichever thread; collectives that
/// must not wait for each other (for example the gradients of two optimizers reduced from two
/// threads) go through separate communicators from ``duplicate()``.
public final class Communicator: @unchecked Sendable {
    // `@unchecked Sendable`: immutable after creation; every MPI call is made holding `lock`, and
    // `clock` locks itself.

    /// This process's rank, 0 ..< ``size``.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    private let communicator: MPI_Comm?
    private let lock = NSLock()
    private let clock: Clock
    private let ownsCommunicator: Bool

    /// Seconds shared by a communicator and its duplicates.
    private final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0.0
        var seconds: Double { lock.withLock { total } }
        func add(_ seconds: Double) { lock.withLock { total += seconds } }
    }

    /// Seconds this process has spent inside collective operations of this communicator and its
    /// duplicates (waiting for the others included): the communication cost of a data-parallel
    /// run, part of which may overlap computation.
    public var communicationSeconds: Double { clock.seconds }

    /// Whether an MPI launcher started this process (Open MPI's `mpirun` sets
    /// `OMPI_COMM_WORLD_SIZE`; MPICH and Slurm set `PMI_SIZE`).
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMI_SIZE"] != nil
    }

    /// All processes of the job. Throws ``DistributedError/notLaunched`` when the process was not
    /// started by an MPI launcher (MPI would otherwise run it as a job of one, silently).
    public static func world() throws -> Communicator {
        guard isLaunchedByMPI else { throw DistributedError.notLaunched }
        return try shared.get()
    }

    private static let shared: Result<Communicator, DistributedError> = Result {
        try initialize()
        let world = deepcrl_mpi_comm_world()
        try check("MPI_Comm_set_errhandler", MPI_Comm_set_errhandler(world, deepcrl_mpi_errors_return()))
        var rank: Int32 = 0, size: Int32 = 0
        try check("MPI_Comm_rank", MPI_Comm_rank(world, &rank))
        try check("MPI_Comm_size", MPI_Comm_size(world, &size))
        return Communicator(rank: Int(rank), size: Int(size), communicator: world, clock: Clock(), owned: false)
    }.mapError { $0 as? DistributedError ?? .mpi(operation: "MPI_Init_thread", code: -1, message: "\($0)") }

    private init(rank: Int, size: Int, communicator: MPI_Comm?, clock: Clock, owned: Bool) {
        self.rank = rank
        self.size = size
        self.communicator = communicator
        self.clock = clock
        ownsCommunicator = owned
    }

    deinit {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        guard ownsCommunicator, finalized == 0 else { return }
        var handle = communicator
        MPI_Comm_free(&handle)
    }

    /// The same processes with a separate channel: its collectives never match this one's, so
    /// they may run at the same time from another thread. Every process must call it, in the
    /// same order. Its time counts in this communicator's ``communicationSeconds``.
    public func duplicate() throws -> Communicator {
        var copy: MPI_Comm?
        try timed { try Self.check("MPI_Comm_dup", MPI_Comm_dup(communicator, &copy)) }
        return Communicator(rank: rank, size: size, communicator: copy, clock: clock, owned: true)
    }

    private static func initialize() throws {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        guard initialized == 0 else { return }
        var provided: Int32 = 0
        try check("MPI_Init_thread", MPI_Init_thread(nil, nil, deepcrl_mpi_thread_multiple(), &provided))
        guard provided >= deepcrl_mpi_thread_multiple() else {
            throw DistributedError.mpi(operation: "MPI_Init_thread", code: provided, message: "this MPI library does not support concurrent calls from several threads (MPI_THREAD_MULTIPLE); Open MPI 4 and MPICH 3 do")
        }
        atexit {
            var finalized: Int32 = 0
            MPI_Finalized(&finalized)
            if finalized == 0 { MPI_Finalize() }
        }
    }

    /// Waits until every process has called it.
    public func barrier() throws {
        try timed { try Self.check("MPI_Barrier", MPI_Barrier(communicator)) }
    }

    /// Runs `call` holding the lock, adding its duration to ``communicationSeconds``.
    private func timed(_ call: () throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { clock.add(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        try call()
    }

    /// Copies `root`'s `buffer` into every other process's `buffer` (of the same size).
    public func broadcast(_ buffer: inout [Float], from root: Int = 0) throws {
        try requireRank(root, name: "root")
        try requireCount(buffer.count)
        try buffer.withUnsafeMutableBufferPointer { values in
            try timed {
                try Self.check("MPI_Bcast", MPI_Bcast(values.baseAddress, Int32(values.count), deepcrl_mpi_float(), Int32(root), communicator))
            }
        }
    }

    /// Replaces `buffer` on every process by the element-wise sum over all processes.
    public func allreduceSum(_ buffer: inout [Float]) throws {
        try requireCount(buffer.count)
        try buffer.withUnsafeMutableBufferPointer { values in
            try timed {
                try Self.check("MPI_Allreduce", MPI_Allreduce(
                    deepcrl_mpi_in_place(), values.baseAddress, Int32(values.count), deepcrl_mpi_float(), deepcrl_mpi_sum(), communicator))
            }
        }
    }

    /// Replaces `buffer` on every process by the element-wise mean over all processes.
    public func allreduceAverage(_ buffer: inout [Float]) throws {
        try allreduceSum(&buffer)
        let scale = 1 / Float(size)
        for i in buffer.indices { buffer[i] *= scale }
    }

    /// Ends the whole job with `code` after printing `message` to standard error: how one
    /// failing process stops the others instead of leaving them waiting in a collective.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        try? FileHandle.standardError.write(contentsOf: Data("rank \(rank) of \(size): \(message)\n".utf8))
        MPI_Abort(communicator, code)
        exit(code)
    }

    private func requireRank(_ value: Int, name: String) throws {
        guard (0..<size).contains(value) else {
            throw DistributedError.invalidSetting(name: name, value: "\(value)", expected: "a rank from 0 to \(size - 1)")
        }
    }

    private func requireCount(_ count: Int) throws {
        guard count <= Int(Int32.max) else {
            throw DistributedError.invalidSetting(name: "buffer size", value: "\(count)", expected: "at most \(Int32.max) elements")
        }
    }

    private static func check(_ operation: String, _ code: Int32) throws {
        guard code != deepcrl_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(deepcrl_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError.mpi(operation: operation, code: code, message: message)
    }
}
