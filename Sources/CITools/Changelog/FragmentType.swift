/// The kinds of change fragment DESIGN.md's changelog contract allows, in release-notes order.
public enum FragmentType: String, Sendable, CaseIterable, Codable {
    /// Something new.
    case feature
    /// Something that was wrong and is now right.
    case bugfix
    /// Documentation only.
    case doc
    /// Something taken away.
    case removal
    /// Something that still works but will go.
    case deprecation
    /// Anything else; the release notes list only its issue numbers, as towncrier does.
    case misc

    /// The heading of its section in `CHANGES.md`.
    public var heading: String {
        switch self {
        case .feature: "Features"
        case .bugfix: "Bugfixes"
        case .doc: "Improved Documentation"
        case .removal: "Removals"
        case .deprecation: "Deprecations"
        case .misc: "Misc"
        }
    }

    /// Whether the release notes show the fragment's text (towncrier's `showcontent`).
    public var showsContent: Bool { self != .misc }
}
