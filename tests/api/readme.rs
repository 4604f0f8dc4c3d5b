//! The README's walk through the lifecycle, run as written: its ```` ```sh walkthrough ````
//! blocks in order in one bash, against the real binary (for `cargo run --release -- ...`) and
//! the application, each block's output compared with the ```` ```text output ```` block that
//! follows it. Needs bash, curl and jq, as the README says.

use std::process::Command;

use crate::both_backends;
use crate::helpers::TestApp;

/// One block to run, and what it must print when the README says.
#[derive(Debug)]
struct Step {
    code: String,
    expected: Option<String>,
}

/// The fenced blocks of `markdown`, each with its info string.
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some("")) => blocks.push(open.take().expect("open")),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn walkthrough(markdown: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut after_step = false;
    for (info, body) in fenced_blocks(markdown) {
        match info.as_str() {
            "sh walkthrough" => steps.push(Step {
                code: body,
                expected: None,
            }),
            "text output" => {
                assert!(
                    after_step,
                    "an output block follows no walkthrough block:\n{body}"
                );
                steps.last_mut().expect("a step").expected = Some(body);
            }
            _ => {}
        }
        after_step = info == "sh walkthrough";
    }
    steps
}

#[test]
fn blocks_are_read_with_their_outputs() {
    let markdown = "x\n```sh walkthrough\necho a\n```\n```text output\na\n```\n```sh\nno\n```\n\
                    ```sh walkthrough\ntrue\n```\n";
    let steps = walkthrough(markdown);
    assert_eq!(steps.len(), 2);
    assert_eq!(
        (steps[0].code.as_str(), steps[0].expected.as_deref()),
        ("echo a\n", Some("a\n"))
    );
    assert_eq!(steps[1].expected, None);
}

/// The script: `cargo run --release -- ARGS` becomes the binary with ARGS; each step's output
/// goes to `$OUT/<n>`; the first failing command stops it.
fn script(steps: &[Step]) -> String {
    let mut script = String::from(
        "set -euo pipefail\n\
         cargo() {\n\
           if [ \"$1 $2 $3\" = 'run --release --' ]; then shift 3; \"$EA_BIN\" \"$@\";\n\
           else echo \"the walkthrough may only run the binary: cargo $*\" >&2; return 1; fi\n\
         }\n",
    );
    for (n, step) in steps.iter().enumerate() {
        script.push_str(&format!(
            "echo '== step {n}' >&2\n{{\n{}}} > \"$OUT/{n}\"\n",
            step.code
        ));
    }
    script
}

async fn the_readme_walkthrough_runs_as_written(app: &TestApp) {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let steps = walkthrough(&readme);
    assert!(
        steps.len() >= 5 && steps.iter().filter(|s| s.expected.is_some()).count() >= 4,
        "the walkthrough lost its steps: {steps:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(script(&steps))
        .env("EA", &app.address)
        .env("EA_BIN", env!("CARGO_BIN_EXE_enterprise-assist"))
        .env("DATABASE_URL", &app.database_url)
        .env("DATA_DIR", dir.path())
        .env("OUT", &out)
        .env("LOG_LEVEL", "warn");
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("bash runs");
    let printed = |n: usize| std::fs::read_to_string(out.join(n.to_string())).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "a walkthrough step failed ({}):\n{stderr}\nits output:\n{}",
        output.status,
        (0..steps.len()).map(printed).collect::<Vec<_>>().join("\n")
    );
    for (n, step) in steps.iter().enumerate() {
        if let Some(expected) = &step.expected {
            assert_eq!(
                printed(n).trim_end(),
                expected.trim_end(),
                "step {n} printed otherwise than the README says:\n{}",
                step.code
            );
        }
    }
}

both_backends!(the_readme_walkthrough_runs_as_written);
