//! Snapshots: an app's bank state — its ledger, every family's objects and its clock — as one JSON
//! document, so that a partner can save a known state, put it back, and keep it in their repository to
//! load at the start of every CI run. A document is checked whole before anything changes: its shape,
//! each collection within this server's bounds, and every account adding up.
//!
//! Not in a snapshot: the request log, the readiness report, the quota count and the callback history
//! (they record what the partner did, not what the bank holds), nor credentials.

use std::collections::BTreeMap;

use poem_openapi::Object;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod rows;

use crate::sandbox::bank::{
    clock::ClockSetting,
    ledger::Ledger,
    store::{AppState, Family, RowCodec},
};

/// What a snapshot document says it is; another format is refused.
pub const FORMAT: &str = "sandbank-snapshot/1";

/// A family whose state a snapshot holds.
pub trait Kept: Family + Serialize + DeserializeOwned {
    /// Its name in a snapshot document (`payments`, `cash_management`, ...).
    const NAME: &'static str;

    /// Its state on an app's first use, holding the server's bound on objects.
    fn fresh(object_limit: usize) -> Self;

    /// Rebuilds the indexes derived from its objects (`rows::derived` fields), once its rows loaded.
    fn rebuild_indexes(&mut self) {}
}

/// How one family's state goes into a document and comes back: what [`Snapshot`] needs to know of the
/// families without naming them.
#[derive(Clone, Copy)]
pub struct FamilyCodec {
    /// The family's name in a snapshot document (`families.<name>`).
    pub name: &'static str,
    type_name: &'static str,
    save: fn(&dyn Family) -> Result<serde_json::Value, String>,
    load: fn(serde_json::Value, usize) -> Result<Box<dyn Family>, String>,
    rows: RowCodec,
}

impl std::fmt::Debug for FamilyCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl FamilyCodec {
    /// The codec of the family kept as `T`.
    pub fn of<T: Kept>() -> Self {
        Self {
            name: T::NAME,
            type_name: std::any::type_name::<T>(),
            save: save::<T>,
            load: load::<T>,
            rows: RowCodec {
                name: T::NAME,
                type_name: std::any::type_name::<T>(),
                header: rows::header::<T>,
                from_rows: rows::from_rows::<T>,
                apply_rows: rows::apply_rows::<T>,
            },
        }
    }

    /// How the family's state becomes rows, for a database store.
    pub fn rows(&self) -> RowCodec {
        self.rows
    }
}

fn save<T: Kept>(family: &dyn Family) -> Result<serde_json::Value, String> {
    let any: &dyn std::any::Any = family;
    let family = any
        .downcast_ref::<T>()
        .ok_or_else(|| format!("{} holds another type", T::NAME))?;
    serde_json::to_value(family).map_err(|e| format!("{}: {e}", T::NAME))
}

/// Restores into the family's fresh state, so that its collections keep this server's names and bounds.
fn load<T: Kept>(value: serde_json::Value, object_limit: usize) -> Result<Box<dyn Family>, String> {
    let mut family = T::fresh(object_limit);
    T::deserialize_in_place(value, &mut family).map_err(|e| e.to_string())?;
    Ok(Box::new(family))
}

/// A snapshot: an app's ledger, the state of every family it has used and its clock, as sandbank
/// writes it. Keep it as a whole; a document is checked before anything changes (each collection
/// within the server's bounds, every account adding up).
#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[oai(rename_all = "camelCase", example)]
pub struct SnapshotDocument {
    /// `sandbank-snapshot/1`.
    pub format: String,
    /// The app's sandbox clock.
    pub clock: ClockSetting,
    /// The app's accounts, each with its opening balance, balance and entries (oldest first), and
    /// the number of its next entry.
    pub ledger: serde_json::Value,
    /// Each family's objects by family name (`auto_loan`, `cash_management`, `iwish`, `offers`,
    /// `payments`, `trade`); a family the app never used is absent.
    pub families: BTreeMap<String, serde_json::Value>,
}

impl poem_openapi::types::Example for SnapshotDocument {
    fn example() -> Self {
        serde_json::from_str(EXAMPLE).expect("the example is a snapshot document")
    }
}

/// A small document: one account with its opening deposit, on a clock frozen at 2026-04-01 10:00 IST.
pub const EXAMPLE: &str = r#"{"format":"sandbank-snapshot/1","clock":{"frozenAt":"2026-04-01T04:30:00Z","offsetMs":0},"ledger":{"nextEntry":2,"accounts":[{"accountNo":"000405001611","holder":"Acme Traders Pvt Ltd","currency":"INR","openingBalance":"0","balance":"250000.00","entries":[{"id":"S000000001","at":"2026-04-01T04:30:00Z","valueDate":"2026-04-01","direction":"CR","amount":"250000.00","balanceAfter":"250000.00","remarks":"Opening deposit","reference":"SNAPSHOT-EXAMPLE"}]}]},"families":{}}"#;

/// Why a document was refused: the field at fault and what is wrong with it.
#[derive(Debug)]
pub struct Refusal {
    /// The field at fault, as a path into the document.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

fn refused(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
    Refusal {
        field: field.into(),
        reason: reason.into(),
    }
}

/// An app's state read from a document, checked and ready to put in place.
pub struct Snapshot {
    /// The app's state: its ledger and every family's.
    pub state: AppState,
    /// The app's clock as the document sets it.
    pub clock: ClockSetting,
}

impl Snapshot {
    /// The document of an app's `state` and `clock`, and its JSON: the same state is always the
    /// same bytes.
    pub fn write(
        state: &AppState,
        clock: ClockSetting,
        codecs: &[FamilyCodec],
    ) -> Result<(SnapshotDocument, String), String> {
        let mut families = BTreeMap::new();
        for (type_name, family) in state.families() {
            let codec = codecs
                .iter()
                .find(|c| c.type_name == type_name)
                .ok_or_else(|| format!("no snapshot codec for {type_name}"))?;
            families.insert(codec.name.to_string(), (codec.save)(family)?);
        }
        let document = SnapshotDocument {
            format: FORMAT.into(),
            clock,
            ledger: serde_json::to_value(&state.ledger).map_err(|e| e.to_string())?,
            families,
        };
        let json = serde_json::to_string(&document).map_err(|e| e.to_string())?;
        Ok((document, json))
    }

    /// Checks a document and builds the state it holds; nothing anywhere has changed either way.
    pub fn read(
        document: SnapshotDocument,
        codecs: &[FamilyCodec],
        object_limit: usize,
    ) -> Result<Self, Refusal> {
        if document.format != FORMAT {
            return Err(refused(
                "format",
                format!(
                    "`{}` is not a snapshot this server reads (`{FORMAT}`)",
                    document.format
                ),
            ));
        }
        document.clock.check().map_err(|e| refused("clock", e))?;
        let mut ledger = Ledger::empty(object_limit);
        Ledger::deserialize_in_place(document.ledger, &mut ledger)
            .map_err(|e| refused("ledger", e.to_string()))?;
        let mut state = AppState::new(ledger, object_limit);
        for (name, value) in document.families {
            let field = format!("families.{name}");
            let codec = codecs.iter().find(|c| c.name == name).ok_or_else(|| {
                let known: Vec<_> = codecs.iter().map(|c| c.name).collect();
                refused(
                    &field,
                    format!("no such family (known: {})", known.join(", ")),
                )
            })?;
            let family = (codec.load)(value, object_limit).map_err(|e| refused(&field, e))?;
            state.put_family(codec.type_name, family);
        }
        Ok(Self {
            state,
            clock: document.clock,
        })
    }
}

/// A snapshot's id: the start of its document's SHA-256, so the same state always has the same id (a
/// file imported at the start of every CI run comes back under the id it had the first time).
pub fn id_of(document: &str) -> String {
    let digest = Sha256::digest(document.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("snap_{hex}")
}

/// A map whose keys are not strings (a due-time queue keyed by instant and sequence), kept in a
/// document as a list of `[key, value]` pairs, in key order: `#[serde(with = "snapshot::pairs")]`.
pub mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the map as a list of `[key, value]` pairs.
    pub fn serialize<K, V, S>(map: &BTreeMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
    where
        K: Serialize,
        V: Serialize,
        S: Serializer,
    {
        serializer.collect_seq(map.iter())
    }

    /// Reads a list of `[key, value]` pairs back into the map.
    pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}
