//! Two real sandbank processes on one PostgreSQL database (`--store postgres://…`), called over HTTP as
//! partners call a hosted sandbox behind a load balancer. Each test has a database of its own
//! (`helpers::postgres`).

use crate::helpers::postgres::{fresh_database, sql};

#[test]
fn a_fresh_database_from_the_helper_is_empty_and_named_after_the_test() {
    let url = fresh_database("Helper-Check");
    let database = format!("sbt_{}_helper_check", std::process::id());
    assert!(url.ends_with(&format!("/{database}")), "{url}");
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    assert_eq!(sql(&url, tables).trim(), "0");
    sql(&url, "CREATE TABLE left_behind (id int)");
    assert_eq!(sql(&url, tables).trim(), "1");
    assert_eq!(fresh_database("Helper-Check"), url);
    assert_eq!(sql(&url, tables).trim(), "0", "a second call starts empty");
}
