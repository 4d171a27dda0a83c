//! The `factbot` binary as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{repo, sample_documents};

fn factbot(index: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_factbot"));
    c.arg("--config")
        .arg(repo().join("config.toml"))
        .arg("--documents")
        .arg(sample_documents())
        .arg("--index")
        .arg(index);
    c
}

#[test]
fn ask_json_batch_answers_one_line_per_question() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut child = factbot(tmp.path())
        .args(["ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            "trade 2002\n\nWhen was the Treaty of Eternal Friendship signed?\n?!\n".as_bytes(),
        )
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["kind"], "trade");
    assert_eq!(lines[0]["facts"][0]["amount"], 160_700_000.0);
    assert_eq!(lines[1]["kind"], "none");
    assert_eq!(lines[2]["facts"][0]["date"], "1997-04-08");
    for l in &lines {
        for key in ["question", "kind", "text", "facts", "sources"] {
            assert!(l.get(key).is_some(), "missing {key} in {l}");
        }
    }
}

#[test]
fn ask_prints_passage_with_source() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = factbot(tmp.path())
        .args(["ask", "Which region of Kyrgyzstan is the most developed?"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Chui") && text.contains("**"), "{text}");
    assert!(
        text.contains("Kyrgyzstan — Kazakhstan (000_83a44054ced2f1bd.txt"),
        "{text}"
    );
}

#[test]
fn extract_prints_json_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["extract", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Trade was $90.8 million on October 15, 1992, or 8.3%.")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["type"], "money");
    assert_eq!(lines[0]["amount"], 90_800_000.0);
    assert_eq!(lines[0]["start"], 10);
    assert_eq!(lines[0]["end"], 23);
    assert_eq!(lines[1]["date"], "1992-10-15");
    assert_eq!(lines[1]["grain"], "day");
    assert_eq!(lines[2]["value"], 8.3);
}

#[test]
fn index_command_reports_counts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = factbot(tmp.path()).arg("index").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("indexed 2 documents"), "{text}");
}

/// Issue 15: the same paragraph was "passage 5" in `ask`, `"passage": 4` in `ask --json`
/// and `#4` in `facts`. People count passages from 1, everywhere.
#[test]
fn passage_numbers_agree_in_text_json_and_facts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str]| {
        let out = factbot(tmp.path()).args(args).output().expect("run");
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let question = "Which region of Kyrgyzstan is the most developed?";
    let text = run(&["ask", question]);
    let json: serde_json::Value =
        serde_json::from_str(&run(&["ask", "--json", question])).expect("json");
    let shown = &json["sources"][0];
    let n = shown["passage"].as_u64().expect("a passage number");
    assert!(n >= 1);
    assert!(
        text.contains(&format!(
            "{}, passage {n})",
            shown["document"].as_str().unwrap_or("?")
        )),
        "passage {n} of the JSON is not the text's: {text}"
    );

    let trade: serde_json::Value =
        serde_json::from_str(&run(&["ask", "--json", "trade 2002"])).expect("json");
    let fact = &trade["facts"][0];
    assert_eq!(fact["passage"], trade["sources"][0]["passage"], "{trade}");
    let listed = run(&["facts"]);
    let line = listed
        .lines()
        .find(|l| l.contains("160700000"))
        .unwrap_or_else(|| panic!("no 2002 figure in: {listed}"));
    assert!(
        line.ends_with(&format!(
            "{} #{}]",
            fact["document"].as_str().unwrap_or("?"),
            fact["passage"]
        )),
        "{line} against {fact}"
    );
}

/// `facts --explain` says which rule decided each attribute of a figure.
#[test]
fn facts_explain_names_the_deciding_rules() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = factbot(tmp.path())
        .args(["facts", "--explain"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let why = lines
        .by_ref()
        .find(|l| l.contains("160700000"))
        .and_then(|_| lines.next())
        .unwrap_or_else(|| panic!("no 2002 figure in: {text}"));
    assert!(
        why.trim_start().starts_with("why: year=") && why.contains("measure="),
        "{why}"
    );
    let out = factbot(tmp.path())
        .args(["facts", "--json", "--explain"])
        .output()
        .expect("run");
    let first_money = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["type"] == "money")
        .expect("a money fact");
    assert!(first_money["explain"]["year"].is_array(), "{first_money}");
}
