import Algorithms

extension Communicator: ProcessGroup {
    public func gradientAverager() -> any GradientReducer { GradientAverager(self) }
}
