// The connection target: see ConnectionHarness for what each input is checked against.
import CFuzzerDriver
import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConnection(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ConnectionHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzConnection))
