import CardexCore
import CardexVCard
import Foundation

extension CardView {
    /// The card as vCard 4.0, as the reader may see it: UID the owner's user id, then each
    /// visible field in the owner's order.
    ///
    /// FN is required: the name field when the reader sees it, else the first phone or e-mail,
    /// else "Cardex contact". N repeats the name as the given name, since a display name cannot
    /// honestly be cut into family and given names, and apps sort and show by N. A label the
    /// vCard types know (home, work, mobile…) becomes TYPE; any other is left out.
    var vCard: VCard {
        var properties = [VCardProperty(name: "UID", parameters: ["VALUE": ["text"]], text: owner.rawValue)]
        let name = fields.first { $0.kind == .name }?.value
        let fallback = fields.first { $0.kind == .phone || $0.kind == .email }?.value
        let displayName = name ?? fallback ?? "Cardex contact"
        properties.append(VCardProperty(name: "FN", text: displayName))
        properties.append(VCardProperty(name: "N", components: ["", displayName, "", "", ""]))
        for field in fields where field.kind != .name {
            properties.append(Self.property(of: field))
        }
        properties.append(VCardProperty(name: "PRODID", text: "-//Cardex//CardDAV//EN"))
        return VCard(properties: properties)
    }

    private static func property(of field: CardField) -> VCardProperty {
        let types = vCardTypes(of: field.label)
        let parameters: [String: [String]] = types.isEmpty ? [:] : ["TYPE": types]
        switch field.kind {
        case .phone: return VCardProperty(name: "TEL", parameters: parameters.merging(["VALUE": ["uri"]]) { $1 }, escapedValue: "tel:\(field.value)")
        case .email: return VCardProperty(name: "EMAIL", parameters: parameters, text: field.value)
        case .im: return VCardProperty(name: "IMPP", parameters: parameters, text: field.value)
        case .organisation: return VCardProperty(name: "ORG", components: [field.value])
        case .title: return VCardProperty(name: "TITLE", text: field.value)
        case .address:
            // Cardex keeps an address as one text: the street component holds it, LABEL too.
            return VCardProperty(
                name: "ADR", parameters: parameters.merging(["LABEL": [field.value]]) { $1 }, components: ["", "", field.value, "", "", "", ""])
        case .birthday: return VCardProperty(name: "BDAY", escapedValue: basicDate(field.value))
        case .note: return VCardProperty(name: "NOTE", text: field.value)
        case .photoURL: return VCardProperty(name: "PHOTO", escapedValue: field.value)
        case .url: return VCardProperty(name: "URL", parameters: parameters, escapedValue: field.value)
        case .name: return VCardProperty(name: "FN", text: field.value)
        }
    }

    /// The vCard TYPE values of a free-text label: `home`, `work`, and for phones `cell`, `fax`…
    static func vCardTypes(of label: String) -> [String] {
        switch label.lowercased().trimmingCharacters(in: .whitespaces) {
        case "home", "private", "personal": ["home"]
        case "work", "office", "business": ["work"]
        case "mobile", "cell", "cellphone", "mobile phone": ["cell"]
        case "fax": ["fax"]
        case "pager": ["pager"]
        case "text", "sms": ["text"]
        case "video": ["video"]
        case "voice", "phone", "landline": ["voice"]
        default: []
        }
    }

    /// A Cardex birthday (`1815-12-10`, or `--12-10` without a year) in vCard 4.0's basic date
    /// format (`18151210`, `--1210`).
    static func basicDate(_ value: String) -> String {
        value.hasPrefix("--")
            ? "--" + value.dropFirst(2).replacingOccurrences(of: "-", with: "")
            : value.replacingOccurrences(of: "-", with: "")
    }
}
