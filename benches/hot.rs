//! Criterion benches for the hot pieces of answering: fact extraction over one passage,
//! question understanding, and one whole answer on the sample corpus.
//! Run with `cargo bench --bench hot`; not part of `cargo test`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use factbot::aliases::Aliases;
use factbot::config::Config;
use factbot::corpus::{self, SplitOptions};
use factbot::engine::Engine;
use factbot::extract::{extract_facts, FactContext};
use factbot::question;

const QUESTIONS: &[&str] = &[
    "What was the trade turnover between Kazakhstan and Kyrgyzstan in 2023?",
    "когда был подписан договор о вечной дружбе",
    "timeline of border agreements",
    "how long is the border",
    "kazahstan kyrgystan exports 2022",
];

fn sample_documents() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("index/documents")
}

/// The sample passage with the most facts: the densest work extraction does.
fn densest_passage(aliases: &Aliases) -> (String, String) {
    let corpus = corpus::load_dir(&sample_documents(), SplitOptions::default())
        .expect("the sample documents ship with the crate");
    let mut best = (0, String::new(), String::new());
    for d in &corpus.documents {
        let ctx = FactContext {
            published: d.date,
            aliases,
            title: &d.title,
            date_order: Default::default(),
            lead_period: None,
        };
        for p in &d.passages {
            let n = extract_facts(&p.text, &ctx).len();
            if n > best.0 {
                best = (n, p.text.clone(), d.title.clone());
            }
        }
    }
    (best.1, best.2)
}

fn extraction(c: &mut Criterion) {
    let aliases = Aliases::builtin();
    let (passage, title) = densest_passage(&aliases);
    let ctx = FactContext {
        published: None,
        aliases: &aliases,
        title: &title,
        date_order: Default::default(),
        lead_period: None,
    };
    c.bench_function("extract_facts/densest sample passage", |b| {
        b.iter(|| extract_facts(black_box(&passage), &ctx))
    });
}

fn understanding(c: &mut Criterion) {
    let aliases = Aliases::builtin();
    c.bench_function("question::parse/5 questions", |b| {
        b.iter(|| {
            for q in QUESTIONS {
                black_box(question::parse(black_box(q), &aliases));
            }
        })
    });
}

fn answering(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let config = Config {
        documents: sample_documents(),
        index: tmp.path().join("index"),
        ..Config::default()
    };
    let engine = Engine::open(config).expect("the sample corpus indexes");
    for (name, q) in [
        ("trade", QUESTIONS[0]),
        ("date (Russian)", QUESTIONS[1]),
        ("passage", QUESTIONS[3]),
    ] {
        c.bench_function(&format!("Engine::ask/{name}"), |b| {
            b.iter(|| engine.ask(black_box(q)))
        });
    }
}

criterion_group!(benches, extraction, understanding, answering);
criterion_main!(benches);
