import CardexProto
import Foundation
import FramedRPC

extension RPCError {
    /// Seconds until repeating the call can succeed, for a RESOURCE_EXHAUSTED status that says:
    /// its `cardex.v1.RetryInfo` detail, else its `retry-after` trailing metadata entry; `nil`
    /// when it names neither (a limit that waiting does not lift).
    var retryAfterSeconds: Int64? {
        let typeName = "/" + Cardex_V1_RetryInfo.protoMessageName
        for detail in details where detail.typeURL.hasSuffix(typeName) {
            if let info = try? Cardex_V1_RetryInfo(serializedBytes: detail.value), info.retryAfterSeconds > 0 {
                return info.retryAfterSeconds
            }
        }
        if let text = trailingMetadata.firstText("retry-after"), let seconds = Int64(text.trimmingCharacters(in: .whitespaces)),
            seconds > 0
        {
            return seconds
        }
        return nil
    }

    /// A wait for people, rounded up to what they would count: `45 seconds`, `13 minutes`,
    /// `2 hours 5 minutes`.
    static func describeWait(seconds: Int64) -> String {
        func count(_ n: Int64, _ unit: String) -> String { n == 1 ? "1 \(unit)" : "\(n) \(unit)s" }
        guard seconds >= 60 else { return count(max(seconds, 1), "second") }
        let minutes = (seconds + 59) / 60
        guard minutes >= 60 else { return count(minutes, "minute") }
        let (hours, rest) = minutes.quotientAndRemainder(dividingBy: 60)
        return rest == 0 ? count(hours, "hour") : count(hours, "hour") + " " + count(rest, "minute")
    }
}
