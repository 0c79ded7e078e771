import Foundation
import TandemCITools
import Testing

/// Which declarations `APIScanner` takes for public API, and their names and deprecations.
@Suite("APIScanner")
struct APIScannerTests {
    static func scan(_ source: String) throws -> [APISymbol] {
        let package = try FixturePackage()
        try package.remove("Sources/Hello/Greeter.swift")
        try package.write("Sources/Hello/Source.swift", source)
        return try APIScanner.scan(packageRoot: package.root)
    }

    @Test("public and open declarations, members of public types and extensions, with qualified Swift names")
    func publicDeclarations() throws {
        let symbols = try Self.scan(
            """
            public struct Box<T> {
                public var value: T
                public private(set) var count = 0
                private(set) var hidden = 0
                var internalValue = 1
                public init(_ value: T) { self.value = value; func local() {} }
                public subscript(index: Int) -> T { value }
                public struct Inner { public func f(_ a: Int, b: Int) async throws -> Int { a } }
                struct Hidden { public func notAPI() {} }
            }
            public protocol Greeting { associatedtype Name; func greet(_ name: Name) -> String; var loud: Bool { get } }
            public enum Mode { case fast, slow(Int) }
            enum Internal { case a; public static func notAPI() {} }
            public extension Box { func extra() {} ; internal func notExtra() {} }
            extension Box { public func shown() {} ; func notShown() {} }
            open class Base { open func hook() {} ; public typealias ID = Int }
            internal func helper() {}
            public let answer = 42, question = "?"
            """)
        #expect(
            symbols.map { "\($0.kind) \($0.name)" } == [
                "struct Box", "var Box.value", "var Box.count", "init Box.init(_:)", "subscript Box.subscript(index:)",
                "struct Box.Inner", "func Box.Inner.f(_:b:)", "protocol Greeting", "associatedtype Greeting.Name",
                "func Greeting.greet(_:)", "var Greeting.loud", "enum Mode", "case Mode.fast", "case Mode.slow",
                "func Box.extra()", "func Box.shown()", "class Base", "func Base.hook()", "typealias Base.ID",
                "let answer", "let question",
            ])
        let f = try #require(symbols.first { $0.name == "Box.Inner.f(_:b:)" })
        #expect(f.signature == "( _ a : Int , b : Int ) async throws -> Int")
        #expect(f.line == 8)
        #expect(f.module == "Hello")
    }

    @Test("a deprecation's component and removal release; a changed signature is another symbol")
    func deprecations() throws {
        let old = try Self.scan(
            """
            /// Old.
            @available(*, deprecated, message: "foo(a:b:) is deprecated and removed in hello 3.9.0; use theNewFoo(_:)")
            public func foo(a: Int, b: Int) {}
            @available(macOS, deprecated: 14)
            public func platformOnly() {}
            """)
        #expect(old[0].deprecation?.component == "hello")
        #expect(old[0].deprecation?.removal == "3.9.0")
        #expect(old[0].line == 2)
        #expect(old[1].deprecation == nil, "a platform deprecation is not the plugin API policy's")
        let new = try Self.scan("public func foo(a: Int, b: String) {}\n")
        #expect(new[0].name == old[0].name)
        #expect(new[0].key != old[0].key)
    }

    @Test("members inherit a type's deprecation; a deprecated extension's members each carry it")
    func inheritedDeprecations() throws {
        let symbols = try Self.scan(
            """
            @available(*, deprecated, message: "removed in hello 2.0.0")
            public struct Old { public func f() {} }
            @available(*, deprecated, message: "removed in hello 3.0.0")
            extension Int { public func g() {} }
            """)
        #expect(symbols.map(\.name) == ["Old", "Old.f()", "Int.g()"])
        #expect(symbols.map { $0.deprecation?.declaredOn } == ["Old", "Old", "Int.g()"])
        #expect(symbols.map(\.declaresDeprecation) == [true, false, true])
        #expect(symbols[2].deprecation?.removal == "3.0.0")
    }

    @Test("unreadable deprecation messages are input errors, all reported")
    func unreadable() throws {
        #expect(throws: CheckInputError.self) {
            try Self.scan(
                """
                @available(*, deprecated)
                public func a() {}
                @available(*, deprecated, message: "removed in hello 3.9")
                public func b() {}
                """)
        }
        do {
            _ = try Self.scan(
                "@available(*, deprecated)\npublic func a() {}\n@available(*, deprecated, message: \"removed in hello 3.9\")\npublic func b() {}\n"
            )
        } catch let error as CheckInputError {
            #expect(error.findings.map(\.line) == [1, 3])
        }
    }
}
