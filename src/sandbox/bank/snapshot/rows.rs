//! A family's state as rows: its header (serialised without its row-kept collections) and each
//! collection's rows, read back into the family's fresh state so it keeps the server's bounds.

use crate::sandbox::bank::{
    rows::{header_only, Collections},
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
