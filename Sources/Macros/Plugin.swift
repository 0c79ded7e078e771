import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plug-in that hosts Tandem's macros.
@main
struct TandemMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [ColumnsMacro.self]
}
