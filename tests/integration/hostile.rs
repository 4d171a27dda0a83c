//! Hostile questions: every input gets an answer, never a panic or an error.

use factbot::answer::AnswerKind;
use factbot::render;

use crate::support::{engine_for, sample_documents};

#[test]
fn hostile_questions_get_answers() {
    let (engine, _tmp) = engine_for(&sample_documents());
    let long = "trade ".repeat(1000);
    let digits = "7".repeat(100_000);
    let questions = [
        "",
        " ",
        "\n\t",
        "?!",
        "🙂",
        "🇰🇿🇰🇬",
        "title:\"",
        "a:b",
        "\"unbalanced",
        "*",
        "trade*",
        "AND OR NOT",
        "(((",
        "[1 TO 2]",
        "text:kazakhstan^10",
        "<script>alert(1)</script>",
        "<b>bold</b> & co",
        "'; DROP TABLE passages; --",
        "\u{200b}\u{200f}\u{202e}trade",
        "торговля",
        "贸易 2002",
        "تجارة",
        long.as_str(),
        digits.as_str(),
        "/",
        "/trade@",
        "/unknown_command x",
        "@FactBot",
        "2002",
        "$",
        "%",
        "trade 99999",
        "trade 1800-2100",
        "when",
        "/when",
        "/timeline xyzzy",
    ];
    for q in questions {
        let a = engine.ask(q);
        let text = a.text();
        assert!(!text.trim().is_empty(), "empty answer to {q:?}");
        let json = a.to_json();
        assert!(json["kind"].is_string());
        for msg in render::telegram_html(&a, 4096) {
            assert!(msg.chars().count() <= 4096);
        }
        if q.trim().is_empty() || q == "🙂" {
            assert_eq!(a.kind, AnswerKind::None, "{q:?}");
        }
    }
}

#[test]
fn query_syntax_is_plain_text() {
    let (engine, _tmp) = engine_for(&sample_documents());
    let a = engine.ask("joint:ventures \"Kyrgyzstan");
    assert_eq!(a.kind, AnswerKind::Passage);
    assert!(a.sources[0].text.contains("joint ventures"));
}
