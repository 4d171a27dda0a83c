//! Stamps the binary with a hash of the sources that shape the index, so an index built by an older
//! build (whose extraction or schema may differ) is rebuilt automatically.

use std::hash::{Hash, Hasher};
use std::path::Path;

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            visit(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

/// The sources that decide what an index holds.
const INDEX_SOURCES: &[&str] = &[
    "src/extract",
    "src/corpus.rs",
    "src/text.rs",
    "src/index.rs",
    "src/aliases",
    "src/lexicon.rs",
    "src/lexicon.toml",
];

fn main() {
    let mut files = Vec::new();
    for s in INDEX_SOURCES {
        let p = Path::new(s);
        if p.is_dir() {
            visit(p, &mut files);
        } else {
            files.push(p.to_path_buf());
        }
        println!("cargo:rerun-if-changed={s}");
    }
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        f.hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rustc-env=FACTBOT_SOURCE_HASH={:016x}", h.finish());
}
