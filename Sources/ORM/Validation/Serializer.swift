import Foundation

/// Turns untrusted input (a JSON object, as an HTTP API receives) into a valid model value,
/// reporting every field error at once: Pulp's `serializer.is_valid(raise_exception=True)`.
///
/// ```swift
/// let remote = try Serializer<FileRemote>().validated(json: body)   // throws ValidationErrors
/// var toSave = remote
/// try toSave.create(on: database)
/// ```
///
/// Read-only fields are ignored in the input, as Django REST framework ignores `read_only`
/// fields: the primary key (a UUID key is generated; a generated integer key is left to the
/// database), `pulp_type` (``Model/create(on:)`` sets it) and the model's ``Model/readOnlyFields``
/// at every level. They take their ``Model/serializerDefaults`` value (give one to a read-only
/// field that needs a particular value), else an empty stand-in (`""`, `0`, the current time, a
/// new UUID), and are never reported missing.
///
/// Missing fields, values of the wrong type and the model's own ``Model/validate(_:)`` rules are
/// all collected before anything is thrown. A detail model reads its master's fields from the
/// same flat object.
public struct Serializer<M: Model>: Sendable {
    /// A serializer for `M`.
    public init() {}

    /// Validates a JSON object and returns the value it describes.
    /// - Throws: ``ValidationErrors`` naming every invalid field (the body itself when it is not
    ///   a JSON object).
    public func validated(json: Data) throws(ValidationErrors) -> M {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: json) else {
            var errors = ValidationErrors()
            errors.add(.bodyNotObject, field: "body")
            throw errors
        }
        return try validated(object)
    }

    /// Validates a JSON object's fields.
    public func validated(_ object: [String: JSONValue]) throws(ValidationErrors) -> M {
        let recorder = FieldErrorRecorder()
        let decoded: M?
        do {
            let readOnly = Self.readOnlyFields
            let input = object.filter { !readOnly.contains($0.key) }
            let context = LenientContext(recorder: recorder, generatedFields: readOnly)
            decoded = try M(
                from: LenientDecoder(
                    object: input.merging(M.serializerDefaults) { given, _ in given }, context: context))
        } catch {
            // A field that could not even be given a stand-in stopped decoding; it is recorded.
            decoded = nil
        }
        var errors = recorder.errors
        if let decoded {
            let reported = Set(errors.fields)
            var ruleErrors = ValidationErrors()
            decoded.validateAll(&ruleErrors)
            for error in ruleErrors.fieldErrors where !reported.contains(error.field) {
                errors.add(error.localizable, field: error.field)
            }
        }
        if !errors.isEmpty || decoded == nil { throw errors }
        return decoded!
    }
}

extension Serializer {
    /// The fields never taken from input: the key, `pulp_type` and every level's read-only fields.
    static var readOnlyFields: Set<String> {
        readOnlyFields(of: M.self).union([M.primaryKey, "pulp_type"])
    }

    private static func readOnlyFields(of type: any Model.Type) -> Set<String> {
        guard let detail = type as? any DetailModel.Type else { return type.readOnlyFields }
        return type.readOnlyFields.union(readOnlyFields(of: parentType(of: detail)))
    }

    private static func parentType<Detail: DetailModel>(of type: Detail.Type) -> any Model.Type { Detail.Parent.self }
}

/// Collects the decoding problems of one input.
final class FieldErrorRecorder {
    var errors = ValidationErrors()
}
