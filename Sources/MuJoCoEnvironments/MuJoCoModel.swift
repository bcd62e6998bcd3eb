import CMuJoCo
import Foundation

/// A compiled MuJoCo model (`mjModel`): bodies, joints, geometry, actuators and physics options.
///
/// One model serves every copy of an environment; each copy owns its own simulation data
/// (``MuJoCoGoalEnvironment`` makes one `mjData` per copy), which is how `VectorEnvironment`
/// steps copies on several threads at once.
///
/// `@unchecked Sendable`: MuJoCo writes an `mjModel` only while compiling it (inside the
/// initializers, serialized by a lock because MuJoCo's XML loader keeps global state). Afterwards
/// nothing in this package writes it, and the simulation functions (`mj_step`, `mj_forward`,
/// `mj_resetData`, `mj_makeData`) take it as `const mjModel*`, so any number of threads may read it.
public final class MuJoCoModel: @unchecked Sendable {
    /// The compiled model. Treat it as read-only: copies on other threads read it concurrently.
    public let pointer: UnsafeMutablePointer<mjModel>
    /// Where the model came from (a file name or a description), for messages.
    public let source: String

    /// Compiles an MJCF document held in memory. Throws ``MuJoCoError/modelLoadFailed(source:message:)``
    /// carrying MuJoCo's own message when the XML is malformed or does not compile.
    public init(xml: String, source: String = "an MJCF string") throws {
        self.source = source
        pointer = try Self.load(source: source) { error, size in
            deepcrl_mj_load_xml_string(xml, error, size)
        }
    }

    /// Compiles an MJCF file. Throws ``MuJoCoError/modelLoadFailed(source:message:)`` carrying
    /// MuJoCo's own message when the file is missing, malformed or does not compile.
    public init(contentsOf url: URL) throws {
        source = url.path
        pointer = try Self.load(source: url.path) { error, size in
            mj_loadXML(url.path, nil, error, size)
        }
    }

    deinit {
        mj_deleteModel(pointer)
    }

    /// Number of generalized coordinates (`nq`, the length of `qpos`).
    public var positionCount: Int { Int(pointer.pointee.nq) }
    /// Number of degrees of freedom (`nv`, the length of `qvel`).
    public var velocityCount: Int { Int(pointer.pointee.nv) }
    /// Number of actuators (`nu`, the length of `ctrl`).
    public var actuatorCount: Int { Int(pointer.pointee.nu) }
    /// Number of bodies, the world body included (`nbody`).
    public var bodyCount: Int { Int(pointer.pointee.nbody) }
    /// Number of geoms (`ngeom`).
    public var geomCount: Int { Int(pointer.pointee.ngeom) }
    /// The physics timestep in seconds (`opt.timestep`).
    public var timestep: Double { pointer.pointee.opt.timestep }

    /// The id of the element of `type` named `name`; throws ``MuJoCoError/missingElement(kind:name:model:)``.
    public func id(of type: mjtObj, named name: String) throws -> Int {
        let id = mj_name2id(pointer, Int32(type.rawValue), name)
        guard id >= 0 else {
            throw MuJoCoError.missingElement(kind: Self.kindName(type), name: name, model: source)
        }
        return Int(id)
    }

    /// The MuJoCo library version, e.g. "2.2.2".
    public static var engineVersion: String { String(cString: mj_versionString()) }

    // MARK: Loading

    /// MuJoCo's XML loader keeps global parser state (`mj_freeLastXML`), so loads are serialized.
    private static let loaderLock = NSLock()

    private static func load(
        source: String, _ compile: (UnsafeMutablePointer<CChar>, Int32) -> UnsafeMutablePointer<mjModel>?
    ) throws -> UnsafeMutablePointer<mjModel> {
        var error = [CChar](repeating: 0, count: 1024)
        let model = loaderLock.withLock {
            error.withUnsafeMutableBufferPointer { compile($0.baseAddress!, Int32($0.count)) }
        }
        guard let model else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw MuJoCoError.modelLoadFailed(
                source: source, message: message.isEmpty ? "(MuJoCo gave no message)" : message)
        }
        return model
    }

    private static func kindName(_ type: mjtObj) -> String {
        switch type {
        case mjOBJ_BODY: return "body"
        case mjOBJ_JOINT: return "joint"
        case mjOBJ_GEOM: return "geom"
        case mjOBJ_SITE: return "site"
        case mjOBJ_ACTUATOR: return "actuator"
        default: return "element of type \(type.rawValue)"
        }
    }
}

extension MuJoCoModel {
    /// The URL of a model file shipped with this package (`Models/<name>.xml`).
    public static func bundledURL(named name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "xml", subdirectory: "Models") else {
            throw MuJoCoError.missingResource(name: "Models/\(name).xml")
        }
        return url
    }

    /// The MJCF text of a model file shipped with this package.
    public static func bundledXML(named name: String) throws -> String {
        let url = try bundledURL(named: name)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw MuJoCoError.missingResource(name: "Models/\(name).xml (\(error.localizedDescription))")
        }
    }

    private static let cacheLock = NSLock()
    // `nonisolated(unsafe)`: read and written only under `cacheLock`.
    nonisolated(unsafe) private static var cache: [String: MuJoCoModel] = [:]

    /// The model compiled from `xml`, compiled once per process and shared afterwards (every copy
    /// of an environment and every environment built from the same MJCF text share one `mjModel`).
    public static func shared(xml: String, source: String) throws -> MuJoCoModel {
        if let model = cacheLock.withLock({ cache[xml] }) { return model }
        let model = try MuJoCoModel(xml: xml, source: source)
        return cacheLock.withLock {
            if let existing = cache[xml] { return existing }
            cache[xml] = model
            return model
        }
    }
}
