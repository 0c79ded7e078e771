import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET whose body is collected as it arrives and abandoned as soon as it passes a size
/// limit, so an endless or oversized answer never fills memory.
// @unchecked: NSObject is not Sendable; the mutable state is behind `state`'s Mutex and `limit`
// never changes.
final class LimitedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How a download ended.
    enum Outcome: Sendable {
        case finished(status: Int, body: Data)
        case tooLarge
        case failed(String)
    }

    private struct State {
        var body = Data()
        var status = 0
        var tooLarge = false
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let limit: Int
    private let state = Mutex(State())

    private init(limit: Int) {
        self.limit = limit
    }

    /// Fetches `request`, keeping at most `limit` bytes of its body.
    static func fetch(_ request: URLRequest, limit: Int) async -> Outcome {
        let download = LimitedDownload(limit: limit)
        let session = URLSession(configuration: .ephemeral, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            download.state.withLock { $0.continuation = continuation }
            session.dataTask(with: request).resume()
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let announced = response.expectedContentLength
        let tooLarge = announced > Int64(limit)
        state.withLock {
            $0.status = status
            $0.tooLarge = tooLarge
        }
        completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = state.withLock { state -> Bool in
            guard !state.tooLarge else { return true }
            if state.body.count + data.count > limit {
                state.tooLarge = true
                state.body = Data()
                return true
            }
            state.body.append(data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            let outcome: Outcome
            if state.tooLarge {
                outcome = .tooLarge
            } else if let error {
                outcome = .failed(error.localizedDescription)
            } else {
                outcome = .finished(status: state.status, body: state.body)
            }
            defer { state.continuation = nil }
            return (state.continuation, outcome)
        }
        continuation?.resume(returning: outcome)
    }
}
