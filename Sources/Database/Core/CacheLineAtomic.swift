import Synchronization

/// An atomic value alone on its cache lines, for a value that threads on several CPUs write.
///
/// Writing a value takes its whole cache line from every other CPU that holds it. A static that
/// every async call writes, placed by the linker beside data that a connection's thread reads
/// on every call (`Connection.callsInFlight` sat on one line with `BusyCPUs`' field offsets and
/// cached type metadata), or two small objects that the allocator put side by side, make both
/// threads miss on every call. So the value gets 128 bytes of its own (two lines: x86 CPUs
/// fetch lines in pairs).
final class CacheLineAtomic<Value: AtomicRepresentable & Sendable>: Sendable {
    /// The bytes a value owns: two cache lines.
    private static var isolation: Int { 128 }

    private nonisolated(unsafe) let storage: UnsafeMutablePointer<Atomic<Value>>

    init(_ initial: Value) {
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: Self.isolation, alignment: Self.isolation)
        storage = bytes.bindMemory(to: Atomic<Value>.self, capacity: 1)
        storage.initialize(to: Atomic(initial))
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The value's address, valid while this object lives, for a loop that looks at the value
    /// many times: a look through this object reads the object's own cache line too, which may
    /// lie beside data that another thread writes all the time.
    var address: UnsafePointer<Atomic<Value>> { UnsafePointer(storage) }

    /// Runs `body` with the atomic value (atomics take their orderings as literals, so the
    /// operations are written at the call site).
    func withAtomic<Result>(_ body: (borrowing Atomic<Value>) -> Result) -> Result {
        body(storage.pointee)
    }
}
