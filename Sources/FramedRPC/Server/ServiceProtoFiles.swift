import Foundation

/// The proto files that define a service, as generated code carries them for server reflection:
/// the file declaring the service first, then every file it imports, directly or not.
///
/// Each file is a serialized `google.protobuf.FileDescriptorProto` in base64 (generated code
/// keeps it as a string literal, which compiles fast); ``descriptors()`` decodes them.
public struct ServiceProtoFiles: Sendable {
    /// The service's full name, such as `framedrpc.health.v1.Health`.
    public let service: String
    /// `(proto path, base64 of the serialized FileDescriptorProto)`, the declaring file first.
    public let files: [(name: String, base64: String)]

    /// Creates the list; generated code calls this.
    public init(service: String, files: [(String, String)]) {
        self.service = service
        self.files = files.map { (name: $0.0, base64: $0.1) }
    }

    /// Each file's path and serialized descriptor, or nil for a file whose text is not base64
    /// (only hand-made lists can have one).
    public func descriptors() -> [(name: String, bytes: Data)]? {
        var decoded: [(name: String, bytes: Data)] = []
        for file in files {
            guard let bytes = Data(base64Encoded: file.base64) else { return nil }
            decoded.append((file.name, bytes))
        }
        return decoded
    }
}
