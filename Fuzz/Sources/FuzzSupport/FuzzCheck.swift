/// Stops the fuzzer with `message` when `condition` is false: libFuzzer sees the crash and keeps
/// the input that caused it (`crash-<sha1>` in the working directory).
///
/// A broken invariant is reported this way rather than thrown, so that it cannot be mistaken
/// for input the framework rightly rejected.
@inline(__always)
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        fatalError("fuzz invariant broken: \(message())")
    }
}
