/// Greets people.
public struct Greeter: Sendable {
    /// Creates a greeter.
    public init() {}

    /// A greeting for `name`.
    public func greet(name: String) -> String {
        "Hello, \(name)!"
    }

    /// Not API: internal.
    func shout(name: String) -> String {
        greet(name: name).uppercased()
    }
}
