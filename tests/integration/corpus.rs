//! The documents folder: metadata of both sample formats, and rebuilding on change.

use std::fs;

use chrono::NaiveDate;
use factbot::config::Config;
use factbot::corpus::{self, SplitOptions};
use factbot::engine::Engine;

use crate::support::{repo, sample_documents};

#[test]
fn sample_titles_dates_and_passages() {
    let c = corpus::load_dir(&sample_documents(), SplitOptions::default()).expect("load");
    assert!(c.skipped.is_empty());
    let a = c
        .documents
        .iter()
        .find(|d| d.file == "000_83a44054ced2f1bd.txt")
        .expect("doc 000");
    assert_eq!(a.title, "Kyrgyzstan — Kazakhstan");
    assert_eq!(a.date, None);
    assert_eq!(a.passages.len(), 5);
    assert!(a.passages[0].text.starts_with("Kyrgyzstan borders"));
    let b = c
        .documents
        .iter()
        .find(|d| d.file == "004_7f203286ebdacbea.txt")
        .expect("doc 004");
    assert_eq!(b.date, NaiveDate::from_ymd_opt(2024, 4, 17));
    assert!(
        b.passages[0].text.starts_with("Sales between"),
        "{}",
        b.passages[0].text
    );
    assert!(!b.passages.iter().any(|p| p.text.contains("date 2024")));
    assert_eq!(b.passages.len(), 6);
    // Byte ranges point at the passage in the file.
    let raw = fs::read_to_string(sample_documents().join(&b.file)).expect("read");
    let p = &b.passages[2];
    assert_eq!(
        raw[p.start..p.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        p.text
    );
}

fn config(docs: &std::path::Path, index: &std::path::Path) -> Config {
    let mut c = Config::for_dirs(docs, index);
    c.aliases = repo().join("index/aliases.toml");
    c
}

#[test]
fn index_rebuilds_when_documents_change() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    fs::create_dir_all(&docs).expect("mkdir");
    fs::copy(
        sample_documents().join("000_83a44054ced2f1bd.txt"),
        docs.join("a.txt"),
    )
    .expect("copy");

    let e = Engine::open(config(&docs, &index)).expect("open");
    assert!(e.rebuilt);
    assert_eq!(e.documents().len(), 1);
    drop(e);
    let e = Engine::open(config(&docs, &index)).expect("reopen");
    assert!(!e.rebuilt, "unchanged documents must not rebuild");
    drop(e);

    // Added.
    fs::write(docs.join("b.md"), "# Water deal\ndate 2021-06-01\nThe Toktogul reservoir agreement was signed on 3 May 2021.\n").expect("write");
    let e = Engine::open(config(&docs, &index)).expect("open after add");
    assert!(e.rebuilt);
    assert_eq!(e.documents().len(), 2);
    assert_eq!(
        e.ask("When was the Toktogul reservoir agreement signed?")
            .headline
            .as_deref(),
        Some("May 3, 2021")
    );
    drop(e);

    // Changed.
    fs::write(
        docs.join("b.md"),
        "# Water deal\nThe Toktogul reservoir agreement was signed on 4 May 2021.\n",
    )
    .expect("rewrite");
    let e = Engine::open(config(&docs, &index)).expect("open after change");
    assert!(e.rebuilt);
    assert_eq!(
        e.ask("When was the Toktogul reservoir agreement signed?")
            .headline
            .as_deref(),
        Some("May 4, 2021")
    );
    drop(e);

    // Removed.
    fs::remove_file(docs.join("b.md")).expect("rm");
    let e = Engine::open(config(&docs, &index)).expect("open after remove");
    assert!(e.rebuilt);
    assert_eq!(e.documents().len(), 1);
    assert_eq!(
        e.ask("When was the Toktogul reservoir agreement signed?")
            .kind,
        factbot::answer::AnswerKind::None
    );
}

#[test]
fn bad_documents_are_skipped_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).expect("mkdir");
    fs::write(
        docs.join("good.txt"),
        "Title\nTrade was $5 million in 2010.\n",
    )
    .expect("w");
    fs::write(docs.join("latin1.txt"), b"caf\xe9 \xff\xfe").expect("w");
    fs::write(docs.join("binary.txt"), b"\x00\x01\x02binary").expect("w");
    fs::write(docs.join("empty.md"), "  \n").expect("w");
    fs::write(docs.join("ignored.pdf"), "not a document type").expect("w");
    let before: Vec<_> = fs::read_dir(&docs)
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .collect();
    let e = Engine::open(config(&docs, &tmp.path().join("index"))).expect("open");
    assert_eq!(e.documents().len(), 1);
    let skipped: Vec<&str> = e.skipped().iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    let after: Vec<_> = fs::read_dir(&docs)
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(
        before.len(),
        after.len(),
        "the documents folder is never modified"
    );
}

#[test]
fn unreadable_index_is_rebuilt_and_a_half_built_one_is_ignored() {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("index");
    let e = Engine::open(config(&sample_documents(), &index)).expect("open");
    assert!(e.rebuilt);
    drop(e);
    let current = fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    // A build that died half-way leaves a generation that CURRENT does not name.
    fs::create_dir_all(index.join("gen-99999999T000000.000000-1/tantivy")).expect("mkdir");
    let e = Engine::open(config(&sample_documents(), &index)).expect("reopen");
    assert!(
        !e.rebuilt,
        "a half-built generation must not disturb the current one"
    );
    drop(e);
    // A corrupted current generation is detected and rebuilt.
    fs::write(index.join(current.trim()).join("meta.json"), b"{ not json").expect("corrupt");
    let e = Engine::open(config(&sample_documents(), &index)).expect("open after corruption");
    assert!(e.rebuilt);
    assert_eq!(
        e.ask("trade 2002").headline.as_deref(),
        Some("$160.7 million")
    );
    drop(e);
    // So is a CURRENT that names nothing sensible.
    fs::write(index.join("CURRENT"), "../../etc").expect("write");
    let e = Engine::open(config(&sample_documents(), &index)).expect("open after bad pointer");
    assert!(e.rebuilt);
}

#[test]
fn symlinks_are_not_followed_and_odd_names_are_indexed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&docs).expect("mkdir");
    fs::create_dir_all(&outside).expect("mkdir");
    fs::write(
        outside.join("secret.txt"),
        "Title\nThe secret treaty was signed on 1 May 2001.\n",
    )
    .expect("w");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("secret.txt"), docs.join("link.txt")).expect("symlink");
    fs::write(
        docs.join("a name with spaces — и юникод.md"),
        "# Заголовок\nТоварооборот в 2020 году составил 1,5 млрд долларов.\n",
    )
    .expect("w");
    let e = Engine::open(config(&docs, &tmp.path().join("index"))).expect("open");
    let files: Vec<&str> = e.documents().iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, vec!["a name with spaces — и юникод.md"]);
    assert_eq!(
        e.ask("trade 2020").headline.as_deref(),
        Some("$1.5 billion")
    );
    assert_eq!(
        e.ask("When was the secret treaty signed?").kind,
        factbot::answer::AnswerKind::None
    );
}
