import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a run directory (its `.lock` file), held by the trainer that writes there
/// so that a second process, or a second trainer in this one, cannot train into the same
/// directory. The system drops the lock when its holder ends, crashes included.
final class RunDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock of `directory`, which must exist; throws if another trainer holds it.
    init(_ directory: URL) throws {
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AlgorithmsError.checkpoint("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw AlgorithmsError.checkpoint(
                "\(directory.path) is in use by another training (it holds \(path)); wait for it to end or choose another output directory")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }  // releases the lock
}
