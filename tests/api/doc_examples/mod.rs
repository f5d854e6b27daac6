//! Every example in the repository's Markdown runs, as a reader would paste it, and must print the
//! answer the page shows.
//!
//! For each Markdown file (README.md, docs/*.md, ...) with runnable blocks, the runner starts a fresh
//! server — the real binary on a free loopback port, embedded defaults — and runs the file's ```sh
//! blocks top to bottom in one bash session (variables and functions carry over, as in a reader's
//! terminal), with `localhost:8080` and `127.0.0.1:8080` pointed at that server. The session runs in
//! its own process group, stopped as a whole when the file is done, so a process a page starts in
//! the background (a callback receiver) never outlives it. A ```sh block
//! followed (blank lines aside) by a ```json block must print exactly the JSON shown, compared as JSON
//! values (one or more, in order); followed by a ```text block, exactly that text (line by line,
//! trailing spaces aside); followed by neither, nothing. Every ```json block must follow a ```sh block:
//! an answer without its command is a drifted answer waiting to happen (shapes that are not answers go
//! in ```text away from commands). A block must exit 0 and write nothing to stderr.
//!
//! Runs: ```sh, ```bash and ```shell blocks; ```sh no-run (or any other language) does not run —
//! commands that start servers, build, or need tools the page is not about.
//!
//! Values that legitimately differ between runs are normalised, on both sides, by these rules only:
//! 1. a created app's `apikey` (`sbk_` + 32 hex digits), `client_secret` (`sbs_` + 32 hex) and
//!    `callbackSecret` (`sbw_` + 32 hex), and a callback's delivery id (`dlv_` + 32 hex) are random:
//!    they read `sbk_…`, `sbs_…`, `sbw_…`, `dlv_…`;
//! 2. an OAuth2 access token (a JWT, `eyJ….….…`) reads `<jwt>`: its times and signature change;
//! 3. an instant with a fraction of a second (`2026-11-25T18:09:39.545+05:30`) was read from the wall
//!    clock (frozen sandbox clocks print whole seconds): it reads `<now>`;
//! 4. `latencyMs` (request log, callbacks) is measured: it reads 0 (JSON answers only).
//!
//! `DOC_EXAMPLES_ONLY=docs/trade.md` runs only the files whose path contains that text.
//! `UPDATE_DOCS=1 cargo test --test api doc_examples` rewrites every answer that does not match
//! with what the server printed (review the diff before committing).

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::markdown::{self, Block};

mod compare;

use compare::{compare, rewrite_answers};

/// How many files run at once.
const PARALLEL_FILES: usize = 3;

/// How long one block may take: generous, since a 4096-bit key generation on a loaded CI machine
/// can take tens of seconds.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(120);

/// A ```sh block and the answer the page shows for it.
struct Example {
    command: Block,
    answer: Option<Block>,
}

/// What went wrong with one example.
struct Failure {
    file: String,
    line: usize,
    what: String,
}

/// One file's results.
struct FileRun {
    answers: usize,
    matched: usize,
    failures: Vec<Failure>,
    /// Answer blocks to rewrite under `UPDATE_DOCS=1`: (the block, what the server printed).
    rewrites: Vec<(Block, String)>,
}

#[test]
fn every_example_in_the_docs_prints_the_answer_shown() {
    ensure_tools();
    let mut answers = 0;
    let mut matched = 0;
    let mut failures = Vec::new();
    let only = std::env::var("DOC_EXAMPLES_ONLY").unwrap_or_default();
    let files: Vec<_> = markdown::files()
        .into_iter()
        .filter(|path| path.display().to_string().contains(&only))
        .collect();
    // Files are independent (a server each): a few at a time.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let runs = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_FILES {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let run = run_file(path);
                runs.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((path.clone(), run));
            });
        }
    });
    let mut runs = runs.into_inner().unwrap_or_else(|e| e.into_inner());
    runs.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, run) in runs {
        answers += run.answers;
        matched += run.matched;
        failures.extend(run.failures);
        if markdown::updating() && !run.rewrites.is_empty() {
            rewrite_answers(&path, &run.rewrites);
        }
    }
    eprintln!("doc examples: {matched} of {answers} answers match");
    let report: Vec<String> = failures
        .iter()
        .map(|f| format!("{}:{}: {}", f.file, f.line, f.what))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {answers} doc answers do not match ({} problems):\n\n{}",
        answers - matched,
        failures.len(),
        report.join("\n\n")
    );
}

/// bash, curl and jq are what the examples use, and python3 runs the callback receiver of
/// docs/readiness.md; CI installs them (`.ci/run`). Missing tools fail the run rather than skip it.
fn ensure_tools() {
    for tool in ["bash", "curl", "jq", "python3"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "the doc examples need `{tool}` on PATH (.ci/run installs it)"
        );
    }
}

/// Pairs each runnable block with the ```json or ```text block right after it; reports ```json answers
/// without a command.
fn examples(
    file: &str,
    blocks: &[Block],
    lines: &[&str],
    failures: &mut Vec<Failure>,
) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut previous_runnable = false;
    for block in blocks {
        if is_runnable(block) {
            examples.push(Example {
                command: block.clone(),
                answer: None,
            });
            previous_runnable = true;
            continue;
        }
        let attached = previous_runnable
            && matches!(block.lang.as_str(), "json" | "text")
            && examples
                .last()
                .is_some_and(|e| adjacent(&e.command, block, lines));
        match examples.last_mut() {
            Some(example) if attached => example.answer = Some(block.clone()),
            _ if block.lang == "json" => failures.push(Failure {
                file: file.to_string(),
                line: block.open_line,
                what: "a ```json answer without the ```sh command right above it (use ```text for \
                       a shape that is not an answer)"
                    .into(),
            }),
            _ => {}
        }
        previous_runnable = false;
    }
    examples
}

fn is_runnable(block: &Block) -> bool {
    matches!(block.lang.as_str(), "sh" | "bash" | "shell")
        && !block.attributes.split_whitespace().any(|a| a == "no-run")
}

/// Whether only blank lines separate the two blocks.
fn adjacent(command: &Block, answer: &Block, lines: &[&str]) -> bool {
    (command.close_line..answer.open_line - 1)
        .all(|i| lines.get(i).is_none_or(|l| l.trim().is_empty()))
}

fn run_file(path: &Path) -> FileRun {
    let file = path.display().to_string();
    let markdown = std::fs::read_to_string(markdown::root().join(path)).unwrap_or_default();
    let mut run = FileRun {
        answers: 0,
        matched: 0,
        failures: Vec::new(),
        rewrites: Vec::new(),
    };
    let lines: Vec<&str> = markdown.lines().collect();
    let examples = examples(
        &file,
        &markdown::blocks(&markdown),
        &lines,
        &mut run.failures,
    );
    run.answers = examples.iter().filter(|e| e.answer.is_some()).count();
    if examples.is_empty() {
        return run;
    }
    let server = Server::start();
    let work = tempdir(&file);
    let outputs = run_blocks(&server, &work, &examples);
    drop(server);
    for (example, output) in examples.iter().zip(outputs) {
        let line = example.command.open_line;
        let fail = |what: String| Failure {
            file: file.clone(),
            line,
            what,
        };
        match output {
            None => run.failures.push(fail(format!(
                "did not finish in {} s, or an earlier block stopped the session",
                BLOCK_TIMEOUT.as_secs()
            ))),
            Some(output) => {
                if let Some(problem) = output.problem() {
                    run.failures.push(fail(problem));
                }
                match &example.answer {
                    None if !output.stdout.trim().is_empty() => run.failures.push(fail(format!(
                        "prints output the page does not show (add a ```json or ```text block):\n{}",
                        output.stdout.trim_end()
                    ))),
                    None => {}
                    Some(answer) => match compare(answer, &output.stdout) {
                        Ok(()) => run.matched += 1,
                        Err(diff) => {
                            run.failures.push(fail(diff));
                            run.rewrites.push((answer.clone(), output.stdout.clone()));
                        }
                    },
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    run
}

/// What one block printed.
struct Output {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

impl Output {
    fn problem(&self) -> Option<String> {
        match self.status {
            Some(0) if self.stderr.trim().is_empty() => None,
            Some(0) => Some(format!("wrote to stderr:\n{}", self.stderr.trim_end())),
            status => Some(format!(
                "exited with {status:?}; stderr:\n{}",
                self.stderr.trim_end()
            )),
        }
    }
}

/// Runs the blocks in one bash session, one at a time; `None` for a block that did not finish in time
/// and for every block after it.
fn run_blocks(server: &Server, work: &Path, examples: &[Example]) -> Vec<Option<Output>> {
    let base = format!("127.0.0.1:{}", server.port);
    let mut bash = Command::new("bash");
    // Its own process group: whatever a page starts in the background is stopped with the session.
    std::os::unix::process::CommandExt::process_group(&mut bash, 0);
    let mut bash = bash
        .current_dir(work)
        // `mktemp` in an example lands in the scratch directory, removed with it.
        .env("TMPDIR", work)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bash starts");
    let mut stdin = bash.stdin.take().expect("stdin is piped");
    let mut outputs = Vec::new();
    for (i, example) in examples.iter().enumerate() {
        let text = example
            .command
            .text
            .replace("localhost:8080", &base)
            .replace("127.0.0.1:8080", &base);
        // Absolute paths: a block may `cd` elsewhere, as a reader's shell would.
        let at = work.join(i.to_string()).display().to_string();
        let step = format!(
            "{{\n{text}\n}} >'{at}.out' 2>'{at}.err' </dev/null\n\
             echo $? >'{at}.status.tmp' && mv '{at}.status.tmp' '{at}.status'\n"
        );
        if stdin
            .write_all(step.as_bytes())
            .and_then(|()| stdin.flush())
            .is_err()
        {
            break;
        }
        let status_file = work.join(format!("{i}.status"));
        let started = Instant::now();
        while !status_file.exists() && started.elapsed() < BLOCK_TIMEOUT {
            if bash.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let read = |ext: &str| std::fs::read_to_string(work.join(format!("{i}.{ext}"))).ok();
        let Some(status) = read("status") else {
            break;
        };
        outputs.push(Some(Output {
            stdout: read("out").unwrap_or_default(),
            stderr: read("err").unwrap_or_default(),
            status: status.trim().parse().ok(),
        }));
    }
    drop(stdin);
    let group = format!("-{}", bash.id());
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = bash.kill();
    let _ = bash.wait();
    outputs.resize_with(examples.len(), || None);
    outputs
}

fn tempdir(label: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sandbank-doc-examples-{}-{}",
        std::process::id(),
        label.replace(['/', '.'], "_")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// A fresh server for one file: the real binary, embedded defaults, a free loopback port.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(["--port", "0"])
            .env_clear()
            .envs(std::env::vars().filter(|(k, _)| !k.starts_with("SANDBANK_")))
            .env("SANDBANK_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout is piped"))
            .read_line(&mut first_line)
            .expect("the binary announces its port");
        let port = first_line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"));
        Server { child, port }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
