//! The repository's Markdown, read the way the docs tests need it: which files, their fenced code
//! blocks, their links.

use std::path::{Path, PathBuf};

/// The repository's root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown file of the repository a reader can open: README.md, docs/, bench/, CHANGELOG.md...
/// (build output, dependencies and git's own files left out), sorted, relative to the root.
pub fn files() -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(&root(), Path::new(""), &mut found);
    found.sort();
    found
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = dir.join(&name);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git") {
                walk(root, &relative, found);
            }
        } else if std::path::Path::new(&name)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
        {
            found.push(relative);
        }
    }
}

/// A fenced code block: its info string's first word (`sh`, `json`, ...), the rest of the info string,
/// its text, and where it sits in the file (1-based lines of the opening and closing fences).
#[derive(Debug, Clone)]
pub struct Block {
    pub lang: String,
    pub attributes: String,
    pub text: String,
    pub open_line: usize,
    pub close_line: usize,
}

/// The fenced code blocks of a Markdown text (backtick or tilde fences, indented by at most 3 spaces).
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence = indent <= 3
            && fence.len() >= 3
            && fence
                .chars()
                .all(|c| c == fence.chars().next().unwrap_or('`'));
        match open.take() {
            None if is_fence => {
                let info = trimmed[fence.len()..].trim();
                let (lang, attributes) = info.split_once(' ').unwrap_or((info, ""));
                open = Some((
                    fence,
                    Block {
                        lang: lang.to_string(),
                        attributes: attributes.trim().to_string(),
                        text: String::new(),
                        open_line: index + 1,
                        close_line: 0,
                    },
                ));
            }
            None => {}
            Some((fence_open, mut block)) => {
                let closes = is_fence
                    && trimmed.trim_end().len() >= fence_open.len()
                    && trimmed
                        .trim_end()
                        .chars()
                        .all(|c| c == fence_open.as_bytes()[0] as char);
                if closes {
                    block.close_line = index + 1;
                    blocks.push(block);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                    open = Some((fence_open, block));
                }
            }
        }
    }
    blocks
}

/// A Markdown link or image target, with the line it is on.
#[derive(Debug, Clone)]
pub struct Link {
    pub target: String,
    pub line: usize,
}

/// Every inline link and image target (`[text](target)`, `![alt](target)`) and reference definition
/// (`[label]: target`) outside code blocks and code spans.
pub fn links(markdown: &str) -> Vec<Link> {
    let mut in_block: Option<String> = None;
    let mut found = Vec::new();
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if fence.len() >= 3 {
            match &in_block {
                None => in_block = Some(fence),
                Some(open) if trimmed.trim_end() == open.as_str() || fence.len() >= open.len() => {
                    in_block = None
                }
                Some(_) => {}
            }
            continue;
        }
        if in_block.is_some() {
            continue;
        }
        let text = strip_code_spans(line);
        if let Some(rest) = text.trim_start().strip_prefix('[') {
            if let Some((_, after)) = rest.split_once("]:") {
                if let Some(target) = after.split_whitespace().next() {
                    found.push(Link {
                        target: target.trim_matches(['<', '>']).to_string(),
                        line: index + 1,
                    });
                    continue;
                }
            }
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("");
            found.push(Link {
                target: target.trim_matches(['<', '>']).to_string(),
                line: index + 1,
            });
            rest = &after[end..];
        }
    }
    found
}

/// The line with its code spans (`` `...` ``) blanked out, so that code is never read as a link.
fn strip_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` (generated sections), with the byte
/// range it occupies, or `None` when the markers are missing.
pub fn generated_section<'a>(
    markdown: &'a str,
    name: &str,
) -> Option<(&'a str, std::ops::Range<usize>)> {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let start = markdown.find(&begin)? + begin.len();
    let stop = start + markdown[start..].find(&end)?;
    Some((&markdown[start..stop], start..stop))
}

/// Whether generated sections should be rewritten rather than checked (`UPDATE_DOCS=1`).
pub fn updating() -> bool {
    std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1")
}

/// Checks a generated section against `expected`, or rewrites it under `UPDATE_DOCS=1`.
#[track_caller]
pub fn check_generated(path: &str, name: &str, expected: &str) {
    let file = root().join(path);
    let markdown = std::fs::read_to_string(&file).unwrap_or_default();
    let Some((current, range)) = generated_section(&markdown, name) else {
        panic!("{path} has no `<!-- {name}:begin -->` ... `<!-- {name}:end -->` section");
    };
    if current == expected {
        return;
    }
    if updating() {
        let mut updated = markdown.clone();
        updated.replace_range(range, expected);
        std::fs::write(&file, updated).expect("the docs are writable");
        return;
    }
    panic!(
        "{path}'s `{name}` section differs from what the server says; rerun with UPDATE_DOCS=1 to \
         regenerate it.\n--- in {path}:\n{current}\n--- expected:\n{expected}"
    );
}
