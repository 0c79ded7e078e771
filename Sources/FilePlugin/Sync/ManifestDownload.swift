import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fetches a remote's `PULP_MANIFEST` over HTTP(S) or from a `file:` URL, refusing one larger
/// than the limit (`file.max_manifest_size`) so a hostile remote cannot exhaust memory.
struct ManifestDownload: Sendable {
    /// The largest manifest read, in bytes.
    let maximumSize: Int
    /// How long the whole download may take.
    let timeout: TimeInterval

    /// The manifest's URL for a remote's URL: the URL itself, as in Pulp, or `PULP_MANIFEST`
    /// inside it when it names a folder (ends with `/`).
    static func manifestURL(for remoteURL: String) -> URL? {
        guard let url = URL(string: remoteURL), url.scheme != nil else { return nil }
        return remoteURL.hasSuffix("/") ? url.appendingPathComponent("PULP_MANIFEST") : url
    }

    /// The manifest's text.
    /// - Throws: ``SyncError`` naming what failed (the status, the size, the connection),
    ///   never the URL's credentials.
    func text(from url: URL) async throws -> String {
        let data: Data
        if url.isFileURL {
            // Reading a file blocks: off the cooperative pool, on a dispatch thread.
            data = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                    guard size <= maximumSize else {
                        continuation.resume(throwing: Self.tooLarge(maximumSize))
                        return
                    }
                    continuation.resume(with: Result { try Data(contentsOf: url) })
                }
            }
        } else {
            var request = URLRequest(url: url, timeoutInterval: timeout)
            request.httpMethod = "GET"
            switch await LimitedDownload.fetch(request, limit: maximumSize) {
            case .finished(let status, let body) where (200..<300).contains(status):
                data = body
            case .finished(let status, _):
                throw SyncError(message: "the remote answered HTTP \(status) for \(Self.redacted(url))")
            case .tooLarge:
                throw Self.tooLarge(maximumSize)
            case .failed(let reason):
                throw SyncError(message: "cannot fetch the manifest from \(Self.redacted(url)): \(reason)")
            }
        }
        guard data.count <= maximumSize else { throw Self.tooLarge(maximumSize) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SyncError(message: "the manifest is not UTF-8 text")
        }
        return text
    }

    /// The error for a manifest over `limit` bytes.
    static func tooLarge(_ limit: Int) -> SyncError {
        SyncError(message: "the manifest is larger than file.max_manifest_size (\(limit) bytes)")
    }

    /// The URL without user and password, for messages.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the remote" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "the remote"
    }
}

/// A sync failed: the message says why, for the task's error.
public struct SyncError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}
