// libFuzzer entry point: see ConnectionHarness for what is checked.
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnection(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ConnectionHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
