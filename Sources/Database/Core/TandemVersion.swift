/// The version of this Tandem package: what `tandem --version` prints, and the release that
/// changelog checks compare deprecations against.
public let tandemVersion = "0.1.0"
