import TandemApp

/// The settings the application's plugins contribute, in load order.
func applicationPluginSettings() -> [PluginSettings] {
    // Wired to the application's plugins by the lead at merge.
    []
}
