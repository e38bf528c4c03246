// libFuzzer entry point: see FrameStreamCheck for what is checked.
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FrameStreamCheck.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
