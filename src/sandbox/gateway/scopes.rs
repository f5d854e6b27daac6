//! OAuth scopes are the family names, plus `sandbox` for the control plane. This module owns the list,
//! the one rule that ties an operation to its scope — the scope is derived from the operation's tag,
//! so a new family needs no per-handler code, only a tag whose name starts with (or contains) the
//! family's words — and the table of what a token needs on the control plane ([`control_need`]).

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
    (
        "sandbox",
        "The control plane of every family: clock, reset, disable, approvals, the whole request log \
         and callbacks. Any app may grant it; a token with all its app's scopes has it implicitly",
    ),
];

/// The families' scopes come first in [`SCOPES`]; `sandbox` is last.
const FAMILIES: usize = SCOPES.len() - 1;

impl Scope {
    /// The control plane's own scope.
    pub const SANDBOX: Scope = Scope(FAMILIES as u8);

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
        SCOPES[..FAMILIES]
            .iter()
            .position(|(scope, _)| normalised.contains(&format!("-{scope}-")))
            .map(|i| Scope(i as u8))
    }
}

/// What a bearer token needs to call a control-plane operation. `apikey` callers, and tokens that
/// carry every scope of their app or the `sandbox` scope, may call them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlNeed {
    /// Any token of the app (its own settings).
    Any,
    /// Any token; the answer lists only the token's families (request log, callbacks).
    Filtered,
    /// The family's scope: the operation acts on that family's objects.
    Family(Scope),
    /// `sandbox`: the operation acts on every family's state (clock, reset, disable).
    Sandbox,
}

/// The family a callback belongs to, by its kind (`upi-collect` → payments, `ecollection-mis` →
/// cash-management); `None` shows it only to callers that see the whole control plane.
pub fn callback_family(kind: &str) -> Option<Scope> {
    let family = if kind.starts_with("upi-") {
        "payments"
    } else if kind.starts_with("ecollection-") || kind.starts_with("cib-") {
        "cash-management"
    } else {
        return None;
    };
    Scope::parse(family)
}

/// The control-plane table, by operationId. An operation not listed needs `sandbox`: a new control
/// operation is closed to narrow tokens until it is placed here.
pub fn control_need(operation_id: &str) -> ControlNeed {
    let family = |name| Scope::parse(name).map_or(ControlNeed::Sandbox, ControlNeed::Family);
    match operation_id {
        // The readiness report reads only grades, never state: any token of the app may read it.
        "getApp" | "sandboxReadiness" => ControlNeed::Any,
        "sandboxRequests" | "sandboxCallbacks" => ControlNeed::Filtered,
        "sandboxUpiApprove" | "sandboxUpiReject" => family("payments"),
        "sandboxCibApprove" | "sandboxCibReject" => family("cash-management"),
        // A drill sends the app's receiver callbacks of any family, in the app's name.
        "sandboxCallbackDrill" => ControlNeed::Sandbox,
        _ => ControlNeed::Sandbox,
    }
}

/// A set of scopes, as a bit set: checking a scope on the hot path is one AND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u16);

impl ScopeSet {
    pub fn from_bits(bits: u16) -> Self {
        Self(bits & ((1u16 << SCOPES.len()) - 1))
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    /// Every family's scope (not `sandbox`).
    pub fn all() -> Self {
        Self((1u16 << FAMILIES) - 1)
    }

    /// Only the families' scopes of this set.
    pub fn families(self) -> Self {
        Self(self.0 & Self::all().0)
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & (1 << scope.0) != 0
    }

    pub fn insert(&mut self, scope: Scope) {
        self.0 |= 1 << scope.0;
    }

    /// This set and `scope`.
    pub fn with(mut self, scope: Scope) -> Self {
        self.insert(scope);
        self
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
            ("Sandbox control plane", None),
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
