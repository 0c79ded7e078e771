/// Renders one release's section of `CHANGES.md` the way towncrier's default Markdown template
/// does: a title, the package's own changes by type, then the plugin API's changes by type.
public struct ReleaseNotes: Sendable {
    /// The package's name, in the title.
    public let name: String
    /// The release.
    public let version: String
    /// The release date, `YYYY-MM-DD`.
    public let date: String
    /// The fragments to gather.
    public let fragments: [Fragment]

    /// The line towncrier puts above the newest release; `changelog build` inserts below it.
    public static let startMarker = "<!-- towncrier release notes start -->"

    /// Creates the notes.
    public init(name: String, version: String, date: String, fragments: [Fragment]) {
        self.name = name
        self.version = version
        self.date = date
        self.fragments = fragments
    }

    /// The release's title line.
    public var title: String { "# \(name) \(version) (\(date))" }

    /// The Markdown section, ending in a blank line.
    public var markdown: String {
        var text = "\(title)\n\n"
        text += section(fragments.filter { !$0.isPluginAPI })
        text += "\n## Plugin API\n\n"
        text += section(fragments.filter(\.isPluginAPI))
        return text + "\n"
    }

    private func section(_ fragments: [Fragment]) -> String {
        guard !fragments.isEmpty else { return "No significant changes.\n\n" }
        var text = ""
        for type in FragmentType.allCases {
            let ofType = fragments.filter { $0.type == type }
                .sorted { ($0.issue, $0.counter ?? 0) < ($1.issue, $1.counter ?? 0) }
            guard !ofType.isEmpty else { continue }
            text += "### \(type.heading)\n\n"
            if type.showsContent {
                // Fragments with the same text become one entry listing every issue, as in towncrier.
                var entries: [(text: String, issues: [Int])] = []
                for fragment in ofType {
                    if let index = entries.firstIndex(where: { $0.text == fragment.text }) {
                        if !entries[index].issues.contains(fragment.issue) {
                            entries[index].issues.append(fragment.issue)
                        }
                    } else {
                        entries.append((fragment.text, [fragment.issue]))
                    }
                }
                for entry in entries {
                    let body = entry.text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n").dropFirst(2)
                    text += "- \(body) (\(entry.issues.map { "#\($0)" }.joined(separator: ", ")))\n"
                }
            } else {
                var issues: [Int] = []
                for fragment in ofType where !issues.contains(fragment.issue) { issues.append(fragment.issue) }
                text += "- \(issues.map { "#\($0)" }.joined(separator: ", "))\n"
            }
            text += "\n"
        }
        return text
    }
}
