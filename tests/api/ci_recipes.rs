//! The CI recipes partners copy: docs/ci.md pastes each file of examples/ci/ verbatim, and the two
//! Containerfiles build the same final image.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file under `dir`, as paths relative to the repository.
fn files_under(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            let relative = path.strip_prefix(root()).unwrap();
            out.push(relative.to_str().unwrap().replace('\\', "/"));
        }
    }
}

/// The `<!-- recipe: PATH -->` markers of docs/ci.md and the fenced block right after each.
fn pasted_recipes(doc: &str) -> Vec<(String, String)> {
    let mut recipes = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- recipe: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{path}: no code block after the marker"
        );
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        recipes.push((path.to_string(), body));
    }
    recipes
}

#[test]
fn docs_ci_pastes_every_recipe_file_verbatim() {
    let doc = read("docs/ci.md");
    let mut files = Vec::new();
    files_under(&root().join("examples/ci"), &mut files);
    files.sort();

    let pasted = pasted_recipes(&doc);

    let mut pasted_paths: Vec<String> = pasted.iter().map(|(p, _)| p.clone()).collect();
    pasted_paths.sort();
    assert_eq!(
        pasted_paths, files,
        "docs/ci.md pastes each file of examples/ci/ exactly once"
    );
    for (path, body) in pasted {
        assert_eq!(
            body,
            read(&path),
            "docs/ci.md's copy of {path} differs from the file"
        );
    }
}

#[test]
fn every_recipe_uses_the_demo_key_and_the_healthcheck_or_wait() {
    let mut files = Vec::new();
    files_under(&root().join("examples/ci"), &mut files);

    for path in files {
        let text = read(&path);
        assert!(text.contains("sandbank-demo-key"), "{path}: no demo key");
        let waits = [
            "healthcheck",
            "Healthcheck",
            "HealthCheck",
            "sandbank wait",
            "/healthz",
        ];
        assert!(
            waits.iter().any(|w| text.contains(w)),
            "{path}: starts using the sandbox without waiting for it"
        );
    }
}

/// The lines from `FROM scratch` on.
fn final_stage(containerfile: &str) -> Vec<String> {
    let text = read(containerfile);
    let start = text
        .find("\nFROM scratch\n")
        .unwrap_or_else(|| panic!("{containerfile}: no FROM scratch stage"));
    text[start + 1..].lines().map(str::to_string).collect()
}

#[test]
fn both_containerfiles_build_the_same_final_image() {
    let prebuilt = final_stage("Containerfile");
    let multi_stage = final_stage("Containerfile.build");

    assert_eq!(
        prebuilt.len(),
        multi_stage.len(),
        "the same number of lines"
    );
    for (a, b) in prebuilt.iter().zip(&multi_stage) {
        if a.starts_with("COPY ") {
            assert_eq!(a, "COPY ${BINARY} /sandbank");
            assert_eq!(b, "COPY --from=build /src/${BINARY} /sandbank");
        } else {
            assert_eq!(a, b);
        }
    }
}

/// The `<!-- excerpt: PATH -->` blocks of the README: each is consecutive lines of its recipe file, as
/// written there (indentation included), so the README's three lines per platform cannot drift.
#[test]
fn readme_ci_excerpts_are_lines_of_their_recipes() {
    let readme = read("README.md");
    let mut lines = readme.lines();
    let mut checked = 0;
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- excerpt: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert!(
            lines.next().is_some_and(|f| f.starts_with("```")),
            "{path}: no block"
        );
        let excerpt: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let recipe = read(path);
        let recipe: Vec<&str> = recipe.lines().collect();
        // The same lines, all shifted by one indent (a shell step's lines sit inside YAML).
        let indent = |line: &str| line.len() - line.trim_start().len();
        let found = recipe.windows(excerpt.len()).any(|window| {
            let Some(shift) = indent(window[0]).checked_sub(indent(excerpt[0])) else {
                return false;
            };
            window.iter().zip(&excerpt).all(|(line, want)| {
                line.get(..shift).is_some_and(|p| p.trim().is_empty())
                    && line.get(shift..) == Some(*want)
            })
        });
        assert!(
            found,
            "README excerpt of {path} is not in the file:\n{}",
            excerpt.join("\n")
        );
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the README's CI section names its recipes ({checked} found)"
    );
}
