//! OAuth scopes are the family names. This module owns the list, and the one rule that
//! ties an operation to its scope: the scope is derived from the operation's tag, so a new family needs
//! no per-handler code — only a tag whose name starts with (or contains) the family's words.

/// One family's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope(u8);

/// Every scope, with the description shown in the OAuth2 flow of the spec.
pub const SCOPES: &[(&str, &str)] = &[
    (
        "building-blocks",
        "Building Blocks: PAN, bureau, eligibility, name enquiry, IFSC",
    ),
    ("auto-loan", "Auto Loan"),
    ("iwish", "iWish flexible recurring deposits"),
    (
        "cash-management",
        "Cash Management: corporate internet banking, eCollection",
    ),
    ("payments", "Payments and UPI"),
    ("trade", "Trade: remittances, bank guarantees"),
    ("offers", "Banking offers"),
];

impl Scope {
    pub fn parse(name: &str) -> Option<Scope> {
        SCOPES
            .iter()
            .position(|(scope, _)| *scope == name)
            .map(|i| Scope(i as u8))
    }

    pub fn name(self) -> &'static str {
        SCOPES[usize::from(self.0)].0
    }

    /// The scope an operation with this tag needs, or `None` for the control plane. The tag is
    /// normalised to lowercase words joined by `-` (`"Payments & UPI"` → `payments-upi`), and a scope
    /// matches when its words appear in it as a whole (`payments`, `banking-offers` → `offers`).
    pub fn for_tag(tag: &str) -> Option<Scope> {
        let words: Vec<String> = tag
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let normalised = format!("-{}-", words.join("-"));
        SCOPES
            .iter()
            .position(|(scope, _)| normalised.contains(&format!("-{scope}-")))
            .map(|i| Scope(i as u8))
    }
}

/// A set of scopes, as a bit set: checking a scope on the hot path is one AND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u16);

impl ScopeSet {
    pub fn from_bits(bits: u16) -> Self {
        Self(bits & Self::all().0)
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    pub fn all() -> Self {
        Self((1u16 << SCOPES.len()) - 1)
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & (1 << scope.0) != 0
    }

    pub fn insert(&mut self, scope: Scope) {
        self.0 |= 1 << scope.0;
    }

    pub fn is_subset_of(self, other: ScopeSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses a space- or comma-separated list; the unknown names come back as the error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Vec<String>> {
        let mut set = Self::default();
        let mut unknown = Vec::new();
        for name in names
            .into_iter()
            .flat_map(|n| n.split([' ', ',']))
            .filter(|n| !n.is_empty())
        {
            match Scope::parse(name) {
                Some(scope) => set.insert(scope),
                None => unknown.push(name.to_string()),
            }
        }
        if unknown.is_empty() {
            Ok(set)
        } else {
            Err(unknown)
        }
    }

    pub fn names(self) -> Vec<&'static str> {
        (0..SCOPES.len() as u8)
            .map(Scope)
            .filter(|s| self.contains(*s))
            .map(Scope::name)
            .collect()
    }

    /// Space-separated, as OAuth2 writes scopes.
    pub fn to_oauth_string(self) -> String {
        self.names().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_map_to_their_family_scope() {
        let cases = [
            ("Building Blocks", Some("building-blocks")),
            ("Auto Loan", Some("auto-loan")),
            ("iWish", Some("iwish")),
            ("Cash Management", Some("cash-management")),
            ("Payments & UPI", Some("payments")),
            ("Trade", Some("trade")),
            ("Banking Offers", Some("offers")),
            ("Sandbox", None),
            ("OAuth2", None),
        ];
        for (tag, scope) in cases {
            assert_eq!(Scope::for_tag(tag).map(Scope::name), scope, "{tag}");
        }
    }

    #[test]
    fn scope_lists_parse_and_print() {
        let set = ScopeSet::parse(["payments building-blocks"]).unwrap();
        assert_eq!(set.to_oauth_string(), "building-blocks payments");
        assert_eq!(ScopeSet::parse(["payments nope"]), Err(vec!["nope".into()]));
        assert!(set.is_subset_of(ScopeSet::all()));
        assert!(!ScopeSet::all().is_subset_of(set));
    }
}
