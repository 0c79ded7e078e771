/// First come, first served reservations, as a claim walks the waiting tasks in dispatch order.
///
/// A task may start when none of its exclusive resources is held or awaited by an earlier task
/// in any way, and none of its shared resources is held or awaited exclusively by an earlier
/// one. A task that may not start (or that this worker cannot run) still awaits its resources,
/// so later tasks queue behind it.
struct ReservationBook {
    private var heldExclusive: Set<ResourceName> = []
    private var heldShared: Set<ResourceName> = []
    private var awaitedExclusive: Set<ResourceName> = []
    private var awaitedShared: Set<ResourceName> = []

    /// Starts from the reservations of the tasks that are running (or canceling).
    init(holding tasks: [(exclusive: [ResourceName], shared: [ResourceName])]) {
        for task in tasks {
            heldExclusive.formUnion(task.exclusive)
            heldShared.formUnion(task.shared)
        }
    }

    /// Whether a task with these reservations may start now.
    func isFree(exclusive: [ResourceName], shared: [ResourceName]) -> Bool {
        exclusive.allSatisfy {
            !heldExclusive.contains($0) && !heldShared.contains($0) && !awaitedExclusive.contains($0)
                && !awaitedShared.contains($0)
        } && shared.allSatisfy { !heldExclusive.contains($0) && !awaitedExclusive.contains($0) }
    }

    /// Records a task that waits: later tasks queue behind its reservations.
    mutating func await(exclusive: [ResourceName], shared: [ResourceName]) {
        awaitedExclusive.formUnion(exclusive)
        awaitedShared.formUnion(shared)
    }

    /// Records a task that starts.
    mutating func hold(exclusive: [ResourceName], shared: [ResourceName]) {
        heldExclusive.formUnion(exclusive)
        heldShared.formUnion(shared)
    }
}
