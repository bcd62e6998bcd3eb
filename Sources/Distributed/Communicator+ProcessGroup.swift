import Algorithms

extension Communicator: ProcessGroup {
    public func gradientAverager() throws -> any GradientReducer { try GradientAverager(self) }
}
