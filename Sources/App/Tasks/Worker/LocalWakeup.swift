import Foundation
import TandemDatabase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes processes on one machine through Unix datagram sockets: each waiting worker binds a
/// socket in a folder named after the database, and a ring sends one byte to each. A waiter
/// blocks in `poll` on a thread of its own, never on Swift's cooperative pool.
final class LocalWakeup: Sendable {
    private let descriptor: Int32
    private let path: String
    private let queue = DispatchQueue(label: "tandem.tasks.wakeup")

    /// The sockets' folder for the SQLite file at `path`: short, under the temporary folder, so
    /// socket paths stay within the 108 bytes Unix sockets allow.
    static func folder(forDatabaseAt path: String) -> URL {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in absolute.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return URL(fileURLWithPath: "/tmp").appendingPathComponent("tandem-wake-\(String(hash, radix: 16))")
    }

    /// Binds a fresh socket in `folder`.
    init(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent(String(UUID().uuidString.prefix(8)).lowercased()).path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalWakeupError(message: "cannot make a socket: errno \(errno)") }
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw LocalWakeupError(message: "cannot bind \(path): errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Waits for a ring or until `timeout` passes; true when rung. Rings that came meanwhile are
    /// all consumed.
    func wait(timeout: Duration) async -> Bool {
        let descriptor = self.descriptor
        let milliseconds = timeout.timeoutMilliseconds
        return await withCheckedContinuation { continuation in
            queue.async {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let rung = poll(&poller, 1, milliseconds) > 0
                var buffer = [UInt8](repeating: 0, count: 64)
                while recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {}
                continuation.resume(returning: rung)
            }
        }
    }

    /// Sends one byte to every socket in `folder`, removing sockets nobody listens on any more.
    static func ring(_ folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let sender = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard sender >= 0 else { return }
        defer { close(sender) }
        var byte: UInt8 = 1
        for name in names {
            let path = folder.appendingPathComponent(name).path
            var address = address(path)
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, &byte, 1, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if sent < 0 && errno == ECONNREFUSED { unlink(path) }
        }
    }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            let bytes = Array(path.utf8.prefix(buffer.count - 1))
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return address
    }
}

/// A wake-up socket could not be made.
struct LocalWakeupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
