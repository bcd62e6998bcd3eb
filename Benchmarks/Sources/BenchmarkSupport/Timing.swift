#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times several bodies in alternating rounds (so a noisy neighbour hurts them alike) and returns
/// each body's median seconds per call. Each body runs once untimed first, then at least
/// `minimumCalls` times and until `seconds` have passed in total.
public func medianSeconds(of bodies: [() -> Void], seconds: Double = 2, minimumCalls: Int = 5) -> [Double] {
    let clock = ContinuousClock()
    for body in bodies { body() }
    var samples = [[Double]](repeating: [], count: bodies.count)
    let start = clock.now
    var round = 0
    while round < minimumCalls || (clock.now - start).seconds < seconds {
        for (i, body) in bodies.enumerated() {
            let t0 = clock.now
            body()
            samples[i].append((clock.now - t0).seconds)
        }
        round += 1
    }
    return samples.map { s in
        let sorted = s.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// The peak resident set size of this process so far, in bytes.
///
/// On Linux this is `VmHWM` from `/proc/self/status`: `getrusage`'s `ru_maxrss` survives `exec`,
/// so a child process would report its parent's peak.
public func peakResidentBytes() -> Int {
    #if os(Linux)
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(cString: line)
        if text.hasPrefix("VmHWM:"), let kilobytes = Int(text.dropFirst(6).filter(\.isNumber)) {
            return kilobytes * 1024
        }
    }
    return 0
    #else
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss  // bytes on macOS
    #endif
}
