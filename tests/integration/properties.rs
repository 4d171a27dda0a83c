//! Property tests: extraction, question parsing, document parsing and `Engine::ask` never
//! panic on generated input, and what they return points inside that input. Few cases
//! here so the suite stays fast in debug; `PROPTEST_CASES=5000 cargo test --release
//! properties` runs more. The cargo-fuzz targets in `fuzz/` do the long runs.

use std::sync::OnceLock;

use factbot::aliases::Aliases;
use factbot::corpus::{parse_document, SplitOptions};
use factbot::engine::Engine;
use factbot::extract::{self, extract_facts, FactContext};
use factbot::{question, render};
use proptest::prelude::*;

use crate::support::{engine_for, repo, sample_documents};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        // Failures are reported with their minimal input; nothing is written next to
        // the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that the parsers care about: digits, separators, currency signs, dashes,
/// month names, Cyrillic, query syntax, markup, odd Unicode, characters whose case
/// mapping changes their length.
const PIECES: &[&str] = &[
    "1",
    "9",
    "0",
    "2003",
    "1997",
    "15.6",
    "1,5",
    "1 234,5",
    " ",
    "  ",
    ".",
    ",",
    ";",
    ":",
    "-",
    "–",
    "—",
    "/",
    "$",
    "€",
    "₸",
    "%",
    "US dollars",
    "million",
    "bn",
    "млрд",
    "млн",
    "долларов",
    "года",
    "г.",
    "в",
    "in",
    "of which",
    "or",
    "October",
    "октября",
    "January-",
    "first half of",
    "Q3",
    "H1",
    "last year",
    "trade",
    "turnover",
    "товарооборот",
    "Kazakhstan",
    "Кыргызстан",
    "kz",
    "signed",
    "treaty",
    "when",
    "когда",
    "\n",
    "\n\n",
    "\r\n",
    "# ",
    "---\n",
    "date ",
    "2024-04-17",
    "Source: https://e.org/a",
    "\u{feff}",
    "title:",
    "\"",
    "*",
    "^10",
    "(",
    ")",
    "[1 TO 2]",
    "AND",
    "<b>",
    "</p>",
    "&amp;",
    "🙂",
    "🇰🇿",
    "\u{200b}",
    "\u{202e}",
    "\u{a0}",
    "/trade",
    "/timeline",
    "@FactBot",
    // Case mappings that change length, and marks that join the letter before them.
    "İ",
    "K",
    "ẞ",
    "ﬁ",
    "Σ",
    "\u{301}",
    "👍🏽",
];

/// Text made of `PIECES` mixed with arbitrary characters.
fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

fn aliases() -> &'static Aliases {
    static A: OnceLock<Aliases> = OnceLock::new();
    A.get_or_init(|| Aliases::load(&repo().join("index/aliases.toml")).expect("aliases load"))
}

fn engine() -> &'static Engine {
    static E: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &E.get_or_init(|| engine_for(&sample_documents())).0
}

fn in_text(text: &str, start: usize, end: usize) -> bool {
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn extraction_mentions_lie_inside_the_text(text in tricky_text(), year in 1990i32..2030) {
        let published = chrono::NaiveDate::from_ymd_opt(year, 6, 1);
        for m in extract::mentions(&text, published) {
            let v = m.to_json();
            let (a, b) = (
                v["start"].as_u64().unwrap_or(u64::MAX) as usize,
                v["end"].as_u64().unwrap_or(u64::MAX) as usize,
            );
            prop_assert!(in_text(&text, a, b), "{v} in {text:?}");
        }
        let ctx = FactContext {
            published,
            aliases: aliases(),
            title: "Kazakhstan",
            date_order: Default::default(),
            lead_period: None,
        };
        extract_facts(&text, &ctx);
    }

    #[test]
    fn question_parsing_keeps_years_and_ranges_sane(raw in tricky_text()) {
        let q = question::parse(&raw, aliases());
        prop_assert_eq!(&q.raw, &raw);
        // The text is the question's words, whitespace collapsed.
        prop_assert!(!q.text.contains("  "), "{:?}", q.text);
        if let Some((a, b)) = q.range {
            prop_assert!(a <= b, "{raw:?} → {:?}", q.range);
        }
    }

    #[test]
    fn document_passages_lie_inside_the_content(content in tricky_text(), words in 0usize..40) {
        let opts = SplitOptions { max_passage_words: words, ..SplitOptions::default() };
        if let Some(doc) = parse_document("p.md", &content, opts) {
            prop_assert!(!doc.passages.is_empty());
            for (i, p) in doc.passages.iter().enumerate() {
                prop_assert_eq!(p.position, i);
                prop_assert!(!p.text.trim().is_empty(), "{content:?}");
                prop_assert!(in_text(&content, p.start, p.end), "{}..{} in {content:?}", p.start, p.end);
            }
        }
    }

    #[test]
    fn every_question_gets_an_answer_that_renders(raw in tricky_text()) {
        let a = engine().ask(&raw);
        prop_assert!(!a.text().trim().is_empty(), "empty answer to {raw:?}");
        prop_assert!(a.to_json()["kind"].is_string());
        for msg in render::telegram_html(&a, 4096) {
            prop_assert!(msg.chars().count() <= 4096);
        }
    }
}
