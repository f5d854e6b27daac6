//! A brand-new PostgreSQL database per test, for `--store postgres://…`: on the cluster named by
//! `SANDBANK_TEST_POSTGRES` (an admin URL; `.ci/run` sets it), else on the throwaway cluster
//! `scripts/postgres.sh start` runs under `target/postgres/`. Created and dropped with the `psql`
//! binary. No PostgreSQL is a failure, never a skip: the calling test panics saying what to install.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

/// The admin URL of the cluster the tests use, found or started once per test process.
fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("SANDBANK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => start_local_cluster(),
    })
}

fn start_local_cluster() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/postgres.sh");
    let output = Command::new(&script)
        .arg("start")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let url = stdout.lines().last().unwrap_or_default().trim().to_string();
    assert!(
        output.status.success() && url.starts_with("postgres://"),
        "these tests need PostgreSQL (set SANDBANK_TEST_POSTGRES to an admin URL, or install \
         Debian's postgresql package for scripts/postgres.sh): {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    drop_leftovers(&url);
    url
}

/// `psql`: on PATH, else in the newest Debian install.
fn psql() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join("psql"))
        .find(|candidate| candidate.is_file());
    let installed = || {
        let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|version| version.path().join("bin/psql"))
            .filter(|candidate| candidate.is_file())
            .collect();
        bins.sort_by_key(|bin| {
            let version = bin.components().nth(4);
            version.and_then(|v| v.as_os_str().to_str()?.parse::<u32>().ok())
        });
        bins.pop()
    };
    on_path.or_else(installed).unwrap_or_else(|| {
        panic!("these tests need psql: install Debian's postgresql package (apt-get install postgresql)")
    })
}

/// Runs SQL on the database at `url`; its stdout (unaligned, tuples only).
pub fn sql(url: &str, statement: &str) -> String {
    let output = Command::new(psql())
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            statement,
        ])
        .output()
        .expect("psql runs");
    assert!(
        output.status.success(),
        "psql on {url} refused {statement:?}: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The URL of a new, empty database named after the test and this process (`sbt_<pid>_<name>`), on
/// the tests' cluster; a database of that name from an earlier run is dropped first.
pub fn fresh_database(name: &str) -> String {
    let admin = admin_url();
    let name: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    let database: String = format!("sbt_{}_{name}", std::process::id())
        .chars()
        .take(63)
        .collect();
    sql(
        admin,
        &format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"),
    );
    sql(admin, &format!("CREATE DATABASE \"{database}\""));
    with_database(admin, &database)
}

/// `url` pointing at `database` instead (query parameters kept).
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let host = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        "" => format!("{host}/{database}"),
        query => format!("{host}/{database}?{query}"),
    }
}

/// On the local throwaway cluster only: drops the databases earlier test processes left behind (their
/// process is gone), so repeated runs do not fill `target/postgres/`.
fn drop_leftovers(admin: &str) {
    let names = sql(
        admin,
        "SELECT datname FROM pg_database WHERE datname LIKE 'sbt\\_%'",
    );
    for database in names.lines().map(str::trim) {
        let pid = database
            .split('_')
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            sql(
                admin,
                &format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"),
            );
        }
    }
}
