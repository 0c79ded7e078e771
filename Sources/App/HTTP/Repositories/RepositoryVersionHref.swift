import Foundation
import TandemORM

/// A repository version's href, `<repository href>versions/<number>/`, taken apart.
struct RepositoryVersionHref: Sendable, Equatable {
    /// The repository's id.
    let repositoryID: UUID
    /// The version's number.
    let number: Int

    /// Parses an href whose last two parts are `versions/<number>` after the repository's key;
    /// nil for anything else.
    init?(_ href: String) {
        let parts = href.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[parts.count - 2] == "versions", let number = Int(parts[parts.count - 1]),
            number >= 0, let id = UUID(uuidString: parts[parts.count - 3])
        else { return nil }
        repositoryID = id
        self.number = number
    }
}
