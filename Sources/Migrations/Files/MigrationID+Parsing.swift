extension MigrationID {
    /// Reads `component/NNNN_name`, as `depends_on` and `--to` spell an identifier; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isComponentName(String(parts[0])),
            let (number, name) = Self.numberAndName(String(parts[1]))
        else { return nil }
        self.init(component: String(parts[0]), number: number, name: name)
    }

    /// Reads a file name, `NNNN_name.yaml`, in `component`'s folder; nil when it is not that form.
    public init?(fileName: String, component: String) {
        guard Self.isComponentName(component), fileName.hasSuffix(".yaml"),
            let (number, name) = Self.numberAndName(String(fileName.dropLast(".yaml".count)))
        else { return nil }
        self.init(component: component, number: number, name: name)
    }

    /// Whether `text` can name a component: lowercase letters, digits and `_`, starting with a letter.
    public static func isComponentName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `0003_tasks` → (3, "tasks"): four digits, `_`, then a name as for a component.
    private static func numberAndName(_ text: String) -> (Int, String)? {
        let digits = text.prefix(4)
        guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), text.dropFirst(4).first == "_",
            let number = Int(digits)
        else { return nil }
        let name = String(text.dropFirst(5))
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
        return !name.isEmpty && allowed ? (number, name) : nil
    }
}
