import Foundation

/// Reads and writes named tensors as safetensors files (readable by Python's `safetensors`).
public enum Checkpoint {
    /// Writes `tensors` and `metadata` to `url` atomically (temporary file, fsync, rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        var entries: [String: SafeTensor] = [:]
        for (name, tensor) in tensors { entries[name] = try SafeTensor(shape: tensor.shape, scalars: tensor.scalars) }
        try SafeTensorsFile(tensors: entries, metadata: metadata).write(to: url)
    }

    /// Reads every Float32 tensor of a safetensors file (other dtypes are left out), with its metadata.
    public static func read(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            let entry = try file.tensor(named: name)
            guard entry.dtype == .float32 else { continue }
            guard entry.shape.count <= 4 else {
                throw LayersError.stateMismatch("tensor '\(name)' has rank \(entry.shape.count); at most 4 is supported")
            }
            tensors[name] = Tensor(shape: entry.shape, scalars: try file.floats(named: name, shape: entry.shape))
        }
        return (tensors, file.metadata)
    }
}
