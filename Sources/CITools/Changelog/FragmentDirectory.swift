import Foundation

/// The change fragments of a package: `CHANGES/` and `CHANGES/plugin_api/`.
public enum FragmentDirectory {
    /// The folder of fragments, relative to the package root.
    public static let path = "CHANGES"
    /// The subfolder for changes to the plugin API.
    public static let pluginAPIPath = "CHANGES/plugin_api"

    /// Reads every fragment, checking names and types.
    ///
    /// `README.md` and hidden files (`.gitkeep`) are not fragments. Throws ``CheckInputError``
    /// listing every bad name, unknown type, empty fragment or unexpected folder at once. A package
    /// without `CHANGES/` has no fragments.
    public static func load(packageRoot: URL) throws -> [Fragment] {
        var fragments: [Fragment] = []
        var problems: [Finding] = []
        for (folder, isPluginAPI) in [(path, false), (pluginAPIPath, true)] {
            let url = packageRoot.appending(path: folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") && name != "README.md" {
                let relative = "\(folder)/\(name)"
                let isDirectory = (try? url.appending(path: name).resourceValues(forKeys: [.isDirectoryKey]))?
                    .isDirectory
                if isDirectory ?? false {
                    if !(folder == path && name == "plugin_api") {
                        problems.append(
                            Finding(
                                file: relative, line: nil,
                                message: "unexpected folder: fragments live in \(path)/ and \(pluginAPIPath)/ only"))
                    }
                    continue
                }
                switch Fragment.parse(name: name) {
                case .failure(.malformed):
                    problems.append(
                        Finding(
                            file: relative, line: nil,
                            message:
                                "bad fragment name '\(name)': expected <issue>.<type> or <issue>.<type>.<n>, such as 12.feature or 12.feature.2"
                        ))
                case .failure(.unknownType(let type)):
                    let known = FragmentType.allCases.map(\.rawValue).joined(separator: ", ")
                    problems.append(
                        Finding(
                            file: relative, line: nil,
                            message: "unknown fragment type '\(type)': expected one of \(known)"))
                case .success(let parsed):
                    guard let data = FileManager.default.contents(atPath: url.appending(path: name).path),
                        let text = String(data: data, encoding: .utf8)
                    else {
                        problems.append(
                            Finding(file: relative, line: nil, message: "cannot read the fragment as UTF-8 text"))
                        continue
                    }
                    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !trimmed.isEmpty else {
                        problems.append(
                            Finding(
                                file: relative, line: nil,
                                message: "empty fragment: say what changed, for the release notes"))
                        continue
                    }
                    fragments.append(
                        Fragment(
                            issue: parsed.issue, type: parsed.type, counter: parsed.counter, isPluginAPI: isPluginAPI,
                            path: relative, text: trimmed))
                }
            }
        }
        guard problems.isEmpty else { throw CheckInputError(problems) }
        return fragments
    }
}
