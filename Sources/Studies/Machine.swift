import Foundation
import Tensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine a run trains on, as its results record it.
enum Machine {
    /// The CPU's model name with its family and model numbers (`/proc/cpuinfo` on Linux, for
    /// example "AMD EPYC (family 26, model 2)"), `machdep.cpu.brand_string` on macOS, or
    /// "unknown CPU".
    static let cpuModel: String = {
        #if os(Linux)
        let lines = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
        func field(_ key: String) -> String? {
            let line = lines.first { $0.split(separator: ":", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) == key }
            let value = line?.split(separator: ":", maxSplits: 1).dropFirst().first?.trimmingCharacters(in: .whitespaces)
            return value.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let name = field("model name") else { return "unknown CPU" }
        guard let family = field("cpu family"), let model = field("model") else { return name }
        return "\(name) (family \(family), model \(model))"  // virtual machines often name only the brand
        #elseif canImport(Darwin)
        var size = 0
        sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0)
        var bytes = [CChar](repeating: 0, count: max(size, 1))
        guard size > 0, sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0) == 0 else { return "unknown CPU" }
        return String(cString: bytes)
        #else
        return "unknown CPU"
        #endif
    }()
}

/// The process's peak resident memory, which a study resets when each run starts.
enum PeakMemory {
    /// Starts a new peak (Linux: `/proc/self/clear_refs`; elsewhere, or where that is not
    /// allowed, the peak stays the process's so far).
    static func reset() {
        #if os(Linux)
        MemoryReuse.returnFreedMemory()  // what earlier runs freed but the heap kept is not this run's
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
        #endif
    }

    /// The peak resident set size since the last ``reset()``, in bytes.
    static var bytes: Int {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        #endif
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #endif
    }
}
