//! Shared helpers: temporary indexes over committed corpora.

use std::path::{Path, PathBuf};

use factbot::config::Config;
use factbot::engine::Engine;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
