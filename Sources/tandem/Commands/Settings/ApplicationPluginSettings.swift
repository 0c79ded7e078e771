import TandemApp

/// The settings the application's plugins contribute, in load order.
///
/// - Throws: ``ApplicationError`` when the plugins do not fit together (exit 2).
func applicationPluginSettings() throws -> [PluginSettings] {
    try ExampleApplication.assemble().pluginSettings
}
