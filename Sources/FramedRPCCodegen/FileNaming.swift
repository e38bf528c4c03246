/// How the generator names the file it writes for `a/b/c.proto`.
public enum FileNaming: String, Sendable, CaseIterable {
    /// `a_b_c.framedrpc.swift`: one flat directory, as the build tool plugin expects.
    case pathToUnderscores
    /// `a/b/c.framedrpc.swift`: mirrors the proto's directories.
    case fullPath
    /// `c.framedrpc.swift`: the file name only.
    case dropPath

    /// The suffix of every generated file.
    public static let outputSuffix = ".framedrpc.swift"

    /// Parses an option value, ignoring case and underscores (`PathToUnderscores`,
    /// `path_to_underscores`). Returns `nil` for anything else.
    public init?(optionValue: String) {
        let normalized = optionValue.lowercased().filter { $0 != "_" }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == normalized }) else {
            return nil
        }
        self = match
    }

    /// The output file name for a proto file name as protoc reports it (`a/b/c.proto`).
    public func outputFileName(forProto protoName: String) -> String {
        let base = protoName.hasSuffix(".proto") ? String(protoName.dropLast(".proto".count)) : protoName
        switch self {
        case .pathToUnderscores:
            return base.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "_") + Self.outputSuffix
        case .fullPath:
            return base + Self.outputSuffix
        case .dropPath:
            return (base.split(separator: "/").last.map(String.init) ?? base) + Self.outputSuffix
        }
    }
}
