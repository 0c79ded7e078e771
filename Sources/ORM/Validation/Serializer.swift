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
            errors.add("must be a JSON object", field: "body")
            throw errors
        }
        return try validated(object)
    }

    /// Validates a JSON object's fields.
    public func validated(_ object: [String: JSONValue]) throws(ValidationErrors) -> M {
        let recorder = FieldErrorRecorder()
        let decoded: M?
        do {
            let context = LenientContext(recorder: recorder, generatedFields: [M.primaryKey, "pulp_type"])
            decoded = try M(from: LenientDecoder(object: object.merging(M.serializerDefaults) { given, _ in given }, context: context))
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
                errors.add(error.message, field: error.field)
            }
        }
        if !errors.isEmpty || decoded == nil { throw errors }
        return decoded!
    }
}

/// Collects the decoding problems of one input.
final class FieldErrorRecorder {
    var errors = ValidationErrors()
}
