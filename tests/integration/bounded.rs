//! Inputs of unreasonable size: a megabyte question, a line of a million digits, a
//! 100 MB document. Each is answered or skipped, in bounded work; sizes and outcomes are
//! asserted, not times.

use std::fs;
use std::io::Write;

use factbot::answer::AnswerKind;
use factbot::extract::{self, extract_facts, FactContext};
use factbot::question::MAX_QUESTION_CHARS;
use factbot::render;

use crate::support::{engine_for, factbot_with, repo, sample_documents};

/// Before questions were cut to `MAX_QUESTION_CHARS`, this took 200 s and 1.4 GB in a
/// debug build.
#[test]
fn megabyte_question_is_cut_to_max_question_chars() {
    let (engine, _tmp) = engine_for(&sample_documents());
    let mut q = String::new();
    while q.len() < 1 << 20 {
        q.push_str("trade turnover Kazakhstan Kyrgyzstan 2002 ");
    }
    let understood = engine.understand(&q);
    assert!(understood.text.chars().count() <= MAX_QUESTION_CHARS);
    assert!(understood
        .text
        .starts_with("trade turnover Kazakhstan Kyrgyzstan 2002"));
    let a = engine.ask(&q);
    assert_eq!(a.kind, AnswerKind::Trade, "{}", a.text());
    assert_eq!(a.headline.as_deref(), Some("$160.7 million"));
    for msg in render::telegram_html(&a, 4096) {
        assert!(msg.chars().count() <= 4096);
    }
    // A megabyte of words that match nothing: an answer that says so.
    let noise = "zqxv ".repeat(1 << 18);
    let a = engine.ask(&noise);
    assert!(!a.text().trim().is_empty());
}

#[test]
fn million_digit_line_is_no_figure() {
    let digits = "7".repeat(1_000_000);
    let text = format!("Trade reached {digits} dollars in 2002.");
    let ms = extract::mentions(&text, None);
    for m in &ms {
        let v = m.to_json();
        let end = v["end"].as_u64().unwrap_or(0) as usize;
        assert!(end <= text.len());
        if let Some(amount) = v["amount"].as_f64() {
            assert!(amount.is_finite(), "amount {amount} at {end}");
        }
    }
    let aliases = factbot::aliases::Aliases::builtin();
    let ctx = FactContext {
        published: None,
        aliases: &aliases,
        title: "t",
        date_order: Default::default(),
        lead_period: None,
    };
    extract_facts(&text, &ctx);
    let (engine, _tmp) = engine_for(&sample_documents());
    let a = engine.ask(&digits);
    assert!(!a.text().trim().is_empty());
}

#[test]
fn hundred_megabyte_document_is_skipped_by_name_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).expect("mkdir");
    for e in fs::read_dir(sample_documents()).expect("ls").flatten() {
        fs::copy(e.path(), docs.join(e.file_name())).expect("copy");
    }
    {
        let f = fs::File::create(docs.join("huge.txt")).expect("create");
        let mut w = std::io::BufWriter::new(f);
        let line = "Trade between the two countries reached $90.8 million in 2000.\n";
        for _ in 0..(100 << 20) / line.len() + 1 {
            w.write_all(line.as_bytes()).expect("write");
        }
        w.flush().expect("flush");
    }
    assert!(fs::metadata(docs.join("huge.txt")).expect("stat").len() >= 100 << 20);
    let out = factbot_with(
        &repo().join("config.toml"),
        &docs,
        &tmp.path().join("index"),
    )
    .arg("index")
    .output()
    .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The limit is config.toml's `search.max_document_bytes` (64 MiB).
    assert!(
        stderr.contains("skipped huge.txt: it is larger than 67108864 bytes"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("indexed 2 documents"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn document_size_limit_comes_from_the_config() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).expect("mkdir");
    fs::write(
        docs.join("small.txt"),
        "Title\nTrade was $5 million in 2010.\n",
    )
    .expect("w");
    fs::write(
        docs.join("big.txt"),
        "Title\n".to_string() + &"Trade was $5 million in 2011.\n".repeat(100),
    )
    .expect("w");
    let config = tmp.path().join("config.toml");
    fs::write(&config, "[search]\nmax_document_bytes = 1000\n").expect("w");
    let out = factbot_with(&config, &docs, &tmp.path().join("index"))
        .arg("index")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("skipped big.txt: it is larger than 1000 bytes"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("indexed 1 documents"));
}
