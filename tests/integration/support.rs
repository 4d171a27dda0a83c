//! Shared helpers: temporary indexes over committed corpora.

use std::path::{Path, PathBuf};

use factbot::config::Config;
use factbot::engine::Engine;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The factbot binary with a config file, a documents folder and an index folder.
pub fn factbot_with(config: &Path, documents: &Path, index: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_factbot"));
    c.arg("--config")
        .arg(config)
        .arg("--documents")
        .arg(documents)
        .arg("--index")
        .arg(index);
    c
}

/// The sample corpus that ships with the project.
pub fn sample_documents() -> PathBuf {
    repo().join("index/documents")
}

/// An engine over `documents` with its index in a fresh temporary folder.
pub fn engine_for(documents: &Path) -> (Engine, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut cfg = Config::for_dirs(documents, tmp.path().join("index"));
    cfg.aliases = repo().join("index/aliases.toml");
    let engine = Engine::open(cfg).expect("engine opens");
    (engine, tmp)
}

/// Reads a JSON Lines file.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

/// Fails with every failure of a table of cases listed.
pub fn assert_all_pass(failures: &[String], cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases,
        failures.join("\n")
    );
}
