extension Application {
    /// What the plugins contribute to the settings, in load order.
    public var pluginSettings: [PluginSettings] { plugins.map(\.settings) }

    /// The application's settings: built-in defaults, the plugins' defaults, the settings file
    /// (`file`, else `TANDEM_SETTINGS`, else `/etc/tandem/settings.yaml`) and `TANDEM_*`
    /// variables of `environment`, checked by every validator.
    ///
    /// - Throws: ``SettingsError`` with every problem, each naming its key and source.
    public func loadSettings(file: String?, environment: [String: String]) throws(SettingsError) -> Settings {
        try SettingsLoader(plugins: pluginSettings, file: file, environment: environment).load()
    }
}
