import CardexCore

/// Finding people by phone number: the one answer to every call that maps a number to a person
/// (Lookup, Discover, GetCard and QueryUpdate by number). Paying for it from the lookup budgets
/// is the server's (`NumberLookup`).
public struct Lookups: Sendable {
    let store: UseCaseStore

    /// An id no account has: an unregistered number is looked up as this person, so it runs the
    /// same reads as a hidden one.
    static let nobody = UserID(rawValue: "00000000-0000-4000-8000-000000000000")

    /// Creates the use cases.
    public init(store: UseCaseStore) {
        self.store = store
    }

    /// Answers each query for `reader`, in order: the number's holder when the reader sees some
    /// of their card and their ``Discoverability`` admits the reader for `purpose`; failing that,
    /// for a query with a local name, a person of that name the reader may find the same way who
    /// had the number before. `nil` for a number nobody the reader may find has: an unregistered
    /// number and a hidden person give the same absence, after the same reads.
    ///
    /// Each answer comes from one read of the holder and what decides their view
    /// (``OwnerRowsReading/numberRows(of:for:absent:)``), so the reads share no snapshot
    /// (``UseCaseStore/readEach(_:)``): a batch answers as the same numbers looked up one by one
    /// would. A former holder's name is checked on reads of its own.
    public func lookUp(_ queries: [NumberQuery], for reader: UserID, purpose: LookupPurpose) async throws -> [NumberMatch?] {
        try await store.readEach { transaction in
            var matches: [NumberMatch?] = []
            matches.reserveCapacity(queries.count)
            for query in queries {
                matches.append(try await Self.answer(query, for: reader, purpose: purpose, transaction))
            }
            return matches
        }
    }

    private static func answer(
        _ query: NumberQuery, for reader: UserID, purpose: LookupPurpose, _ transaction: any ReadTransaction
    ) async throws -> NumberMatch? {
        let (holder, rows) = try await transaction.numberRows(of: query.number, for: reader, absent: nobody)
        let found = findable(holder ?? NumberHolder(user: nobody, discoverability: .nobody), rows, by: reader, for: purpose)
        // Without a local name, or when the holder has that name, this is the person.
        guard let name = query.localName, found?.view.hasName(name) != true else {
            return found.map { NumberMatch(view: $0.view) }
        }
        return try await formerHolder(of: query.number, named: name, by: reader, for: purpose, transaction)
            .map { NumberMatch(view: $0, numberChanged: true) }
    }

    /// The view `reader` has of `holder` (and their relation), judged from the holder's `rows`,
    /// when it shows something and the holder's setting lets the reader find them by number: the
    /// one check every number-to-person answer passes.
    private static func findable(
        _ holder: NumberHolder, _ rows: OwnerRows, by reader: UserID, for purpose: LookupPurpose
    ) -> (view: CardView, relation: Relation)? {
        let (view, relation) = rows.viewAndRelation(of: holder.user, for: reader)
        guard !view.fields.isEmpty, holder.discoverability.admits(acquainted: relation.isAcquainted, for: purpose) else { return nil }
        return (view, relation)
    }

    /// A person `reader` may find who had `phone` before, under `name`: in an earlier version of
    /// their card (a phone field), or as their account number.
    private static func formerHolder(
        of phone: PhoneNumber, named name: String, by reader: UserID, for purpose: LookupPurpose, _ transaction: any ReadTransaction
    ) async throws -> CardView? {
        for candidate in try await transaction.formerHolders(of: phone) where candidate.user != reader {
            let rows = try await transaction.ownerRows(of: candidate.user, for: reader)
            guard let (view, relation) = findable(candidate, rows, by: reader, for: purpose) else { continue }
            if view.hasName(name) { return view }
            let earlier = try await transaction.previousCards(of: candidate.user)
            if earlier.contains(where: { CardView(owner: candidate.user, card: $0, relation: relation).hasName(name) }) { return view }
        }
        return nil
    }
}

extension CardView {
    /// Whether a name field the reader sees is `name`.
    func hasName(_ name: String) -> Bool {
        fields.contains { $0.kind == .name && $0.value.sameName(as: name) }
    }
}
