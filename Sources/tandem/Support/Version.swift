/// The package's version, printed by `tandem --version`.
let tandemVersion = "0.1.0"
