//! The drill's cases: what each sends, and what passes.

// `POST /sandbox/callbacks/drill` takes it as is: its `///` text is Swagger's, its schema `DrillCase`.
/// A drill case: what a receiver meets in production.
#[derive(poem_openapi::Enum, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[oai(rename = "DrillCase", rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    /// A genuine callback: 2xx passes.
    Normal,
    /// A callback, then the same bytes and headers again (same delivery id and signature): 2xx to
    /// both passes.
    Duplicate,
    /// The final status, then an interim one about the same object: 2xx to both passes.
    OutOfOrder,
    /// Attempt 4 of a callback whose event is 15 s old, freshly signed, retried once on the
    /// schedule: 2xx to either passes.
    Late,
    /// Truncated JSON, correctly signed: 4xx passes.
    Malformed,
    /// The amount changed under the old signature (encrypted apps: sealed under another RSA key):
    /// 4xx passes.
    Tampered,
}

impl Case {
    pub const ALL: [Case; 6] = [
        Case::Normal,
        Case::Duplicate,
        Case::OutOfOrder,
        Case::Late,
        Case::Malformed,
        Case::Tampered,
    ];

    pub fn name(self) -> &'static str {
        self.names().0
    }

    /// The kind its deliveries are recorded under at `GET /sandbox/callbacks`.
    pub fn kind(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Case::Normal => ("normal", "drill:normal"),
            Case::Duplicate => ("duplicate", "drill:duplicate"),
            Case::OutOfOrder => ("out-of-order", "drill:out-of-order"),
            Case::Late => ("late", "drill:late"),
            Case::Malformed => ("malformed", "drill:malformed"),
            Case::Tampered => ("tampered", "drill:tampered"),
        }
    }

    pub fn parse(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The receiver must refuse it (4xx).
    pub fn must_reject(self) -> bool {
        matches!(self, Case::Malformed | Case::Tampered)
    }

    /// What passes, in words.
    pub fn expects(self) -> &'static str {
        match self {
            Case::Normal => "2xx",
            Case::Duplicate => "2xx to the callback and to its duplicate",
            Case::OutOfOrder => "2xx to both",
            Case::Late => "2xx to attempt 4 or to its retry",
            Case::Malformed | Case::Tampered => "4xx",
        }
    }

    /// What is sent, in words.
    pub fn sends(self, encrypted: bool) -> &'static str {
        match self {
            Case::Normal => "a genuine callback",
            Case::Duplicate => "a genuine callback, then the same bytes and headers again",
            Case::OutOfOrder => "the final status, then an interim one about the same object",
            Case::Late => {
                "attempt 4 of a callback whose event is 15 s old, freshly signed; if it is not \
                 acknowledged, attempt 5 after the retry schedule's wait"
            }
            Case::Malformed => "truncated JSON, correctly signed",
            Case::Tampered if encrypted => "a callback sealed under another RSA key than the app's",
            Case::Tampered => "the amount changed after signing: the signature is the original's",
        }
    }

    /// How many callbacks (delivery ids) the case sends.
    pub(super) fn callbacks(self) -> usize {
        if self == Case::OutOfOrder {
            2
        } else {
            1
        }
    }
}
