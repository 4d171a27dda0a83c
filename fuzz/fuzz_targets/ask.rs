//! The whole question path: `Engine::ask` over an index of the sample corpus, built once
//! into a temporary folder. Every question gets a non-empty answer that renders.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use factbot::config::Config;
use factbot::engine::Engine;
use factbot::render;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static E: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &E.get_or_init(|| {
        let repo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut cfg = Config::for_dirs(repo.join("index/documents"), tmp.path().join("index"));
        cfg.aliases = repo.join("index/aliases.toml");
        let engine = Engine::open(cfg).expect("the sample corpus indexes");
        (engine, tmp)
    })
    .0
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let e = engine();
    let a = e.ask(&q);
    assert!(!a.text().trim().is_empty(), "empty answer to {q:?}");
    let _ = a.to_json();
    for msg in render::telegram_html(&a, 4096) {
        assert!(msg.chars().count() <= 4096);
    }
    let _ = e.more(&q, 1);
});
