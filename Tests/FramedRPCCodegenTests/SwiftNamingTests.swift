import Testing

@testable import FramedRPCCodegen

/// How RPC names become Swift names.
@Suite("Swift naming of RPCs")
struct SwiftNamingTests {
    @Test(
        "function names are lowerCamelCase, keywords in backticks",
        arguments: [
            ("EmptyCall", "emptyCall"),
            ("Get", "get"),
            ("HTTPGet", "httpGet"),
            ("URL", "url"),
            ("lowercase", "lowercase"),
            ("Return", "`return`"),
            ("Default", "`default`"),
            ("Init", "`init`"),
            ("Type", "type"),
        ])
    func functionName(rpc: String, expected: String) {
        #expect(SwiftNaming.functionName(forRPC: rpc) == expected)
    }

    @Test(
        "type names keep the RPC name unless it is reserved",
        arguments: [
            ("EmptyCall", "EmptyCall"),
            ("Type", "TypeMethod"),
            ("Protocol", "ProtocolMethod"),
            ("Self", "SelfMethod"),
            ("descriptors", "descriptorsMethod"),
            ("Return", "Return"),
        ])
    func typeName(rpc: String, expected: String) {
        #expect(SwiftNaming.typeName(forRPC: rpc) == expected)
    }

    @Test(
        "output file names follow FileNaming",
        arguments: [
            (FileNaming.pathToUnderscores, "a_b_c.framedrpc.swift"),
            (.fullPath, "a/b/c.framedrpc.swift"),
            (.dropPath, "c.framedrpc.swift"),
        ])
    func outputFileName(naming: FileNaming, expected: String) {
        #expect(naming.outputFileName(forProto: "a/b/c.proto") == expected)
    }
}
