//! The documentation stays true and self-contained: the README's flags are the binary's, every relative
//! link resolves inside the repository, the contract lists every operation the server serves, and no
//! page points at notes outside the repository.

use std::path::{Component, Path, PathBuf};

use clap::CommandFactory;
use sandbank::config::Cli;

use crate::markdown;

/// Pages other engineers deliver on their own branches, linked from the README before they land. A
/// listed page that exists is checked like any other; remove it from here once it has landed.
const DELIVERED_ELSEWHERE: &[&str] = &[];

/// The README's flags table, from clap: every serve flag with its environment variable and default.
fn flags_table() -> String {
    let command = Cli::command();
    let mut out = String::from("| flag | environment | default | meaning |\n|---|---|---|---|\n");
    for arg in command.get_arguments() {
        let Some(long) = arg.get_long() else {
            continue;
        };
        if matches!(long, "help" | "version") {
            continue;
        }
        let flag = format!("`--{long}`");
        let env = arg
            .get_env()
            .map(|e| format!("`{}`", e.to_string_lossy()))
            .unwrap_or_default();
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| format!("`{}`", v.to_string_lossy()))
            .collect();
        let default = if defaults.is_empty() {
            "—".to_string()
        } else {
            defaults.join(", ")
        };
        let mut help = arg
            .get_help()
            .map(|h| h.to_string().replace('|', "\\|").replace('\n', " "))
            .unwrap_or_default();
        let choices: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        if !choices.is_empty() {
            help.push_str(&format!(": {}", choices.join(", ")));
        }
        out.push_str(&format!("| {flag} | {env} | {default} | {help} |\n"));
    }
    out
}

/// The subcommands, from clap.
fn commands_table() -> String {
    let command = Cli::command();
    let mut out = String::from("| command | what it does |\n|---|---|\n");
    for sub in command.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!("| `sandbank {}` | {about} |\n", sub.get_name()));
    }
    out
}

#[test]
fn the_readme_lists_every_flag_and_command_of_the_binary() {
    markdown::check_generated("README.md", "flags", &flags_table());
    markdown::check_generated("README.md", "commands", &commands_table());
}

#[test]
fn the_flags_table_is_what_help_prints() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    let help = String::from_utf8_lossy(&help.stdout);
    let table = flags_table();
    for line in help.lines().map(str::trim).filter(|l| l.starts_with("--")) {
        let long = line.split([' ', '=']).next().unwrap_or_default();
        if matches!(long, "--help" | "--version") {
            continue;
        }
        assert!(
            table.contains(&format!("`{long}")),
            "`sandbank --help` shows {long}, the README's flags table does not"
        );
    }
}

/// `target` resolved against the page that links it, without touching the file system; `None` when it
/// climbs above the repository's root.
fn resolve(page: &Path, target: &str) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    let base = page.parent().unwrap_or(Path::new(""));
    for component in base.join(target).components() {
        match component {
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::Normal(part) => resolved.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(markdown_text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in markdown_text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') {
            found.push(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn every_relative_link_resolves_inside_the_repository() {
    let root = markdown::root();
    let mut problems = Vec::new();
    for page in markdown::files() {
        let text = std::fs::read_to_string(root.join(&page)).unwrap_or_default();
        for link in markdown::links(&text) {
            let target = link.target.as_str();
            if target.is_empty()
                || target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let where_ = format!("{}:{}: `{target}`", page.display(), link.line);
            let file = if path.is_empty() {
                page.clone()
            } else {
                match resolve(&page, path) {
                    Some(file) => file,
                    None => {
                        problems.push(format!("{where_} points outside the repository"));
                        continue;
                    }
                }
            };
            let key = file.to_string_lossy().replace('\\', "/");
            if !root.join(&file).exists() {
                if !DELIVERED_ELSEWHERE.contains(&key.as_str()) {
                    problems.push(format!("{where_}: no such file `{key}`"));
                }
                continue;
            }
            let is_markdown = std::path::Path::new(&key)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
            if !fragment.is_empty() && is_markdown {
                let target_text = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
                if !anchors(&target_text).iter().any(|a| a == fragment) {
                    problems.push(format!("{where_}: `{key}` has no heading `#{fragment}`"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn links_that_climb_out_of_the_repository_are_caught() {
    assert_eq!(
        resolve(Path::new("docs/a.md"), "../README.md"),
        Some("README.md".into())
    );
    assert_eq!(resolve(Path::new("docs/a.md"), "../../notes.md"), None);
    assert_eq!(resolve(Path::new("README.md"), "/etc/passwd"), None);
    assert_eq!(anchor("Payments & UPI"), "payments--upi");
    assert_eq!(anchor("The two commands"), "the-two-commands");
}

#[test]
fn the_contract_names_every_operation_the_server_serves() {
    let spec: serde_json::Value =
        serde_json::from_str(&sandbank::spec_documents().expect("the spec builds").0).unwrap();
    let contract =
        std::fs::read_to_string(markdown::root().join("docs/contract.md")).unwrap_or_default();
    let mut missing = Vec::new();
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            let id = operation["operationId"].as_str().unwrap_or_default();
            let row = format!("| `{id}` | `{} {path}`", method.to_uppercase());
            if !contract.contains(&row) {
                missing.push(row);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/contract.md lacks these operations (a row starting so):\n{}",
        missing.join("\n")
    );
}

#[test]
fn nothing_cites_notes_that_live_outside_the_repository() {
    // Spelled in pieces, so that this file does not cite them either.
    let forbidden = [
        ["api-", "catalogue"].concat(),
        ["bank-", "wire"].concat(),
        ["../", "shared"].concat(),
    ];
    let root = markdown::root();
    let mut found = Vec::new();
    let mut files = Vec::new();
    for dir in [
        "src", "tests", "docs", "specs", "bench", "scripts", "fixtures", ".ci",
    ] {
        collect(&root, Path::new(dir), &mut files);
    }
    files.extend(markdown::files());
    for file in files {
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
            continue;
        };
        for needle in &forbidden {
            if text.contains(needle.as_str()) {
                found.push(format!("{} mentions `{needle}`", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = dir.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if entry.file_name() != "node_modules" {
                collect(root, &path, files);
            }
        } else {
            files.push(path);
        }
    }
}
