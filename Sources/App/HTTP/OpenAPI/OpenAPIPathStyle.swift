/// How the API document writes the paths of single objects.
///
/// Pulp's document keys them `{file_file_remote_href}`: its clients (pulp-glue, the generated
/// bindings) substitute a whole `pulp_href` for the parameter. OpenAPI requires every path key to
/// start with `/`, so validators, fuzzers and generic clients reject those keys; the templated
/// style writes the same operations under ordinary path templates instead.
public enum OpenAPIPathStyle: Sendable {
    /// Pulp's keys, `{file_file_remote_href}`: what `api.json` serves.
    case pulp
    /// OpenAPI path templates, `/pulp/api/v3/remotes/file/file/{pulp_id}/`: what `api.json?strict`
    /// serves.
    case templated
}
