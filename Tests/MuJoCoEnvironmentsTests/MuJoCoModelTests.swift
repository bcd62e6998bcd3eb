import Foundation
import MuJoCoEnvironments
import Testing

@Suite struct MuJoCoModelTests {
    @Test func bundledModelsCompile() throws {
        for name in ["ant", "humanoid", "arm"] {
            let model = try MuJoCoModel(contentsOf: MuJoCoModel.bundledURL(named: name))
            #expect(model.actuatorCount > 0, "\(name)")
        }
        #expect(MuJoCoModel.engineVersion.hasPrefix("2."))
    }

    @Test func malformedXMLThrowsMuJoCosMessage() {
        do {
            _ = try MuJoCoModel(xml: "<mujoco><worldbody><geom type=\"box\" size=\"1 1\"></worldbody>", source: "broken")
            Issue.record("malformed XML loaded")
        } catch let error as MuJoCoError {
            guard case let .modelLoadFailed(source, message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(source == "broken")
            #expect(message.contains("XML_ERROR_MISMATCHED_ELEMENT"), "MuJoCo's message: \(message)")
            #expect(error.description.contains(message))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func invalidModelThrowsMuJoCosCompilerMessage() {
        // Well-formed XML that does not compile: a joint referenced by a motor does not exist.
        let xml = "<mujoco><worldbody/><actuator><motor joint=\"nowhere\"/></actuator></mujoco>"
        #expect {
            _ = try MuJoCoModel(xml: xml)
        } throws: { error in
            guard case let .modelLoadFailed(_, message)? = error as? MuJoCoError else { return false }
            return message.contains("nowhere")
        }
    }

    @Test func missingFileThrowsMuJoCosMessage() {
        let url = URL(fileURLWithPath: "/nonexistent/deepcrl-model.xml")
        #expect {
            _ = try MuJoCoModel(contentsOf: url)
        } throws: { error in
            guard case let .modelLoadFailed(source, message)? = error as? MuJoCoError else { return false }
            return source == url.path && !message.isEmpty && message != "(MuJoCo gave no message)"
        }
    }
}
