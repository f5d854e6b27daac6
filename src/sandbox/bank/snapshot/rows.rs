//! A family's state as rows: its header (serialised without its row-kept collections) and each
//! collection's rows, read back into the family's fresh state so it keeps the server's bounds.

use crate::sandbox::bank::{
    rows::{header_only, Changed, Collections},
    snapshot::Kept,
    store::Family,
};

pub fn header<T: Kept>(family: &dyn Family) -> Result<String, String> {
    let any: &dyn std::any::Any = family;
    let family = any
        .downcast_ref::<T>()
        .ok_or_else(|| format!("{} holds another type", T::NAME))?;
    header_only(|| serde_json::to_string(family)).map_err(|e| format!("{}: {e}", T::NAME))
}

pub fn from_rows<T: Kept>(
    header: &str,
    mut rows: Collections,
    object_limit: usize,
) -> Result<Box<dyn Family>, String> {
    let mut family = T::fresh(object_limit);
    header_only(|| {
        let mut deserializer = serde_json::Deserializer::from_str(header);
        T::deserialize_in_place(&mut deserializer, &mut family)
    })
    .map_err(|e| format!("{} header: {e}", T::NAME))?;
    let mut result = Ok(());
    family.visit_collections(&mut |name, collection| {
        if result.is_ok() {
            result = collection.load_rows(name, &mut rows);
        }
    });
    result.map_err(|e| format!("{}: {e}", T::NAME))?;
    family.rebuild_indexes();
    Ok(Box::new(family))
}

/// Applies a family's changed rows to its state in place: a new header replaces every field but the
/// row-kept collections (they ignore a header), each collection applies its rows, and the derived
/// indexes are rebuilt from the result, as a whole load would.
pub fn apply_rows<T: Kept>(
    family: &mut dyn Family,
    header: Option<&str>,
    mut changed: Changed,
) -> Result<(), String> {
    let any: &mut dyn std::any::Any = family.as_any_mut();
    let family = any
        .downcast_mut::<T>()
        .ok_or_else(|| format!("{} holds another type", T::NAME))?;
    if let Some(header) = header {
        header_only(|| {
            let mut deserializer = serde_json::Deserializer::from_str(header);
            T::deserialize_in_place(&mut deserializer, family)
        })
        .map_err(|e| format!("{} header: {e}", T::NAME))?;
    }
    let mut result = Ok(());
    family.visit_collections(&mut |name, collection| {
        if result.is_ok() {
            result = collection.apply_rows(name, &mut changed);
        }
    });
    result.map_err(|e| format!("{}: {e}", T::NAME))?;
    family.rebuild_indexes();
    Ok(())
}
