// The vCard target: see VCardCheck for what each input is checked against.
import CFuzzerDriver
import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzVCard(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    VCardCheck.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzVCard))
