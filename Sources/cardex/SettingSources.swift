import ArgumentParser
import Configuration
import Foundation
import SystemPackage

/// Where `cardex serve` takes each setting from, read through swift-configuration: its flag,
/// else `CARDEX_<KEY>` in the environment, else the config file (`--config`, JSON), else its
/// default. A setting's key is its flag's name (`max-connections`: `CARDEX_MAX_CONNECTIONS`,
/// `"max-connections": 100` in the file). A value that does not read as the setting's type is an
/// error that names where it came from, never a silent default.
///
/// It remembers what it resolved, and from where, for `--print-config` (secrets masked).
struct SettingSources {
    /// One resolved setting, for `--print-config`.
    struct Resolved {
        let key: String
        let value: String
        let source: String
    }

    private let environment: ConfigReader
    private let file: ConfigReader?
    private let filePath: String?
    private(set) var resolved: [Resolved] = []

    /// The environment of this process, and the JSON file at `configFile` if one is named.
    static func open(configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> SettingSources {
        var file: ConfigReader?
        if let configFile {
            do {
                file = ConfigReader(provider: try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile)))
            } catch {
                throw ValidationError("--config \(configFile) is not a readable JSON object: \(error)")
            }
        }
        return SettingSources(
            environment: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)), file: file, filePath: configFile)
    }

    /// The environment variable of `key`: `CARDEX_` and the key in upper case, `-` as `_`.
    static func variable(_ key: String) -> String {
        "CARDEX_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    mutating func string(_ key: String, _ flag: String?, default value: String) throws -> String {
        if let found = try resolve(key, flag, parse: { $0 }, read: { $0.string(forKey: ConfigKey(key)) }, show: { $0 }) { return found }
        return record(key, value, "default", shown: value)
    }

    /// A setting with no default; `show` says how `--print-config` shows it (a secret: masked).
    mutating func optionalString(_ key: String, _ flag: String?, show: (String) -> String = { $0 }) throws -> String? {
        if let found = try resolve(key, flag, parse: { $0 }, read: { $0.string(forKey: ConfigKey(key), isSecret: true) }, show: show) {
            return found
        }
        return record(key, nil, "default", shown: "(none)")
    }

    mutating func int(_ key: String, _ flag: Int?, default value: Int) throws -> Int {
        if let found = try resolve(key, flag, parse: { Int($0) }, read: { $0.int(forKey: ConfigKey(key)) }, show: { "\($0)" }) { return found }
        return record(key, value, "default", shown: "\(value)")
    }

    mutating func double(_ key: String, _ flag: Double?, default value: Double) throws -> Double {
        let read = { (file: ConfigReader) in file.double(forKey: ConfigKey(key)) ?? file.int(forKey: ConfigKey(key)).map(Double.init) }
        if let found = try resolve(key, flag, parse: { Double($0) }, read: read, show: { "\($0)" }) { return found }
        return record(key, value, "default", shown: "\(value)")
    }

    mutating func bool(_ key: String, _ flag: Bool?, default value: Bool) throws -> Bool {
        let parse = { (text: String) in ["true": true, "1": true, "false": false, "0": false][text.lowercased()] }
        if let found = try resolve(key, flag, parse: parse, read: { $0.bool(forKey: ConfigKey(key)) }, show: { "\($0)" }) { return found }
        return record(key, value, "default", shown: "\(value)")
    }

    /// A repeatable setting: the flags if any were given, else a comma-separated variable, else
    /// the file's array of strings.
    mutating func strings(
        _ key: String, _ flags: [String], default value: [String], show: ([String]) -> String = { $0.joined(separator: ", ") }
    ) throws -> [String] {
        let parse = { (text: String) in text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let found = try resolve(key, flags.isEmpty ? nil : flags, parse: parse, read: { $0.stringArray(forKey: ConfigKey(key), isSecret: true) }, show: show)
        {
            return found
        }
        return record(key, value, "default", shown: show(value))
    }

    /// The flag, else the variable (parsed by `parse`), else the file (read by `read`), else nil;
    /// recorded with `show`'s text.
    private mutating func resolve<T>(
        _ key: String, _ flag: T?, parse: (String) -> T?, read: (ConfigReader) -> T?, show: (T) -> String
    ) throws -> T? {
        if let flag { return record(key, flag, "flag --\(key)", shown: show(flag)) }
        let variable = Self.variable(key)
        if let text = environment.string(forKey: ConfigKey(["cardex", key]), isSecret: true) {
            guard let value = parse(text) else {
                throw ValidationError("\(variable) is \"\(text)\", which is not a valid \(key)")
            }
            return record(key, value, variable, shown: show(value))
        }
        guard let file, let filePath else { return nil }
        if let value = read(file) { return record(key, value, filePath, shown: show(value)) }
        guard !Self.holdsAnything(file, key) else {
            throw ValidationError("\(filePath): \"\(key)\" has a value of the wrong type for this setting")
        }
        return nil
    }

    /// Whether the file has a value under `key`, of whatever type.
    private static func holdsAnything(_ file: ConfigReader, _ key: String) -> Bool {
        let key = ConfigKey(key)
        return file.string(forKey: key) != nil || file.int(forKey: key) != nil || file.double(forKey: key) != nil
            || file.bool(forKey: key) != nil || file.stringArray(forKey: key) != nil || file.intArray(forKey: key) != nil
    }

    private mutating func record<T>(_ key: String, _ value: T, _ source: String, shown: String) -> T {
        resolved.append(Resolved(key: key, value: shown, source: source))
        return value
    }

    /// Refuses a config file that others may read when it holds one of `secretKeys`: the
    /// database password or a gateway's credentials would be anyone's on the machine.
    func checkFileMode(secretKeys: Set<String>) throws {
        guard let filePath else { return }
        let attributes = try FileManager.default.attributesOfItem(atPath: filePath)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
        let secrets = resolved.filter { $0.source == filePath && secretKeys.contains($0.key) }.map(\.key)
        guard mode & 0o077 == 0 || secrets.isEmpty else {
            throw ValidationError(
                "\(filePath) holds \(secrets.joined(separator: " and ")) and others may read it (mode \(String(mode & 0o777, radix: 8))): chmod 600 it")
        }
    }

    /// The keys the file holds that are no setting: a misspelled key would otherwise be ignored.
    func unknownFileKeys(known: Set<String>) throws -> [String] {
        guard let filePath else { return [] }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: filePath)))
        guard let dictionary = object as? [String: Any] else { return [] }
        return dictionary.keys.filter { !known.contains($0) }.sorted()
    }
}
