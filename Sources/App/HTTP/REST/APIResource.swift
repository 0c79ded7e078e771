import TandemORM

/// A model the REST API serves: a plugin's model adopts this to be registered in a ``ViewSet``.
///
/// The API reads and writes a resource as a flat JSON object keyed by column names (a detail's
/// master fields included), adds `pulp_href` from the primary key and hides the key itself.
/// An update validates the client's fields through ``Serializer``, which gives read-only fields
/// stand-in values; ``keepStoredFields(of:)`` then copies what the server owns (the key,
/// `pulp_type`, the creation time) from the stored value.
///
/// ```swift
/// extension Remote: APIResource {
///     mutating func keepStoredFields(of stored: Remote) {
///         pulpID = stored.pulpID; pulpType = stored.pulpType; pulpCreated = stored.pulpCreated
///     }
/// }
/// extension FileRemote: APIResource {}   // a detail keeps its master's stored fields
/// ```
public protocol APIResource: Model {
    /// Copies the fields the server owns from `stored`, the value being updated.
    mutating func keepStoredFields(of stored: Self)
}

extension APIResource where Self: DetailModel, Parent: APIResource {
    /// Keeps the stored fields of every level above.
    public mutating func keepStoredFields(of stored: Self) {
        parent.keepStoredFields(of: stored.parent)
    }
}
