/// The shape of a task's arguments as `tandem tasks check` compares it across releases: each
/// top-level field with its JSON type and whether it is required.
///
/// It is read from the arguments' `Decodable` conformance itself (see ``init(of:)``), so it
/// cannot drift from the code: a field decoded with `decode` is required, one decoded with
/// `decodeIfPresent` (an optional property) is not.
public struct ArgumentSchema: Sendable, Hashable, Codable {
    /// One field of the arguments.
    public struct Field: Sendable, Hashable, Codable {
        /// `string`, `integer`, `number`, `boolean`, `array` or `object`.
        public var type: String
        /// Whether a dispatch must give it.
        public var required: Bool

        /// Creates a field.
        public init(type: String, required: Bool) {
            self.type = type
            self.required = required
        }
    }

    /// Field name → field.
    public var fields: [String: Field]

    /// Creates a schema from its fields.
    public init(fields: [String: Field]) {
        self.fields = fields
    }

    /// Reads the schema of `type` by decoding it from a recorder that notes every key asked for.
    ///
    /// Enumerations among the arguments must be `CaseIterable` (their first case stands in for
    /// a value while recording); a type that still cannot be decoded from the recorder makes a
    /// programmer's mistake, reported by a precondition.
    public init<Arguments: Decodable>(of type: Arguments.Type) {
        let recorder = SchemaRecorder()
        do {
            _ = try Arguments(from: RecordingDecoder(recorder: recorder, depth: 0))
        } catch {
            preconditionFailure("cannot read the argument schema of \(Arguments.self): \(error)")
        }
        self.fields = recorder.fields
    }
}
