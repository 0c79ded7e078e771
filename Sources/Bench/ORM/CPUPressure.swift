import Foundation

/// The machine's CPU pressure, printed beside the figures: taken while others' work competes for
/// the cores (avg10 above 10 %), ratios are noise, not figures.
enum CPUPressure {
    /// The `some` line of `/proc/pressure/cpu`, or a note when the kernel does not provide it.
    static func read() -> String {
        guard let text = try? String(contentsOfFile: "/proc/pressure/cpu", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("some") })
        else { return "CPU pressure: unavailable" }
        return "CPU pressure: \(line)"
    }
}
