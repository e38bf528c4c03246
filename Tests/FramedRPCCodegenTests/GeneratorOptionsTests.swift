import FramedRPCCodegen
import Testing

/// Parsing of `--framedrpc_opt` values.
@Suite("Generator options")
struct GeneratorOptionsTests {
    @Test("an empty parameter gives the defaults")
    func emptyParameterGivesDefaults() throws {
        #expect(try GeneratorOptions(parameter: "") == .defaults)
        #expect(GeneratorOptions.defaults.visibility == .internal)
        #expect(GeneratorOptions.defaults.fileNaming == .pathToUnderscores)
    }

    @Test(
        "visibility values ignore case",
        arguments: [
            ("Visibility=Public", Visibility.public),
            ("visibility=public", .public),
            ("Visibility=PACKAGE", .package),
            (" Visibility = Internal ", .internal),
        ])
    func parsesVisibility(parameter: String, expected: Visibility) throws {
        #expect(try GeneratorOptions(parameter: parameter).visibility == expected)
    }

    @Test("several options, comma-joined as protoc sends them")
    func parsesSeveralOptions() throws {
        let options = try GeneratorOptions(parameter: "Visibility=Package,FileNaming=FullPath")

        #expect(options == GeneratorOptions(visibility: .package, fileNaming: .fullPath))
    }

    @Test("rejects an unknown option with a clear error")
    func rejectsUnknownOption() {
        #expect(throws: GeneratorError.unknownOption(name: "Colour")) {
            try GeneratorOptions(parameter: "Visibility=Public,Colour=Blue")
        }
        let message = GeneratorError.unknownOption(name: "Colour").description
        #expect(message.contains("unknown option 'Colour'"))
        #expect(message.contains("'Visibility', 'FileNaming'"))
    }

    @Test("rejects a bad value, listing the allowed ones")
    func rejectsBadValue() {
        #expect(throws: GeneratorError.invalidOptionValue(name: "Visibility", value: "open", allowed: ["Internal", "Public", "Package"])) {
            try GeneratorOptions(parameter: "Visibility=open")
        }
    }

    @Test("rejects an option given twice")
    func rejectsDuplicate() {
        #expect(throws: GeneratorError.duplicateOption(name: "visibility")) {
            try GeneratorOptions(parameter: "Visibility=Public,visibility=Internal")
        }
    }
}
