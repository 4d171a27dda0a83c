//! Every place that slices a text with positions found in it, checked with text whose
//! case mapping changes its length (`İ` lowercases to two characters, `K` and `ẞ` to
//! shorter UTF-8, `ﬁ` uppercases to two): positions found in a lowercased or folded copy
//! would land inside a character of the original, or on the wrong word. The bot's own
//! addressing is checked in `bot_abuse` and in `bot::addressing`'s unit tests.

use factbot::aliases::Aliases;
use factbot::corpus::{parse_document, SplitOptions};
use factbot::{extract, question, render};

use crate::support::{engine_for, repo};

/// Text that changes length when its case is mapped, around the words that matter.
const SHIFTY: &[&str] = &["İİİİ", "KKK", "ẞẞ", "ﬁﬁ", "ΣΣ", "e\u{301}\u{301}", "👍🏽"];

fn in_text(text: &str, start: usize, end: usize) -> bool {
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

#[test]
fn extraction_positions_point_into_text_with_length_changing_case() {
    for shift in SHIFTY {
        let text = format!(
            "{shift} In 2002 {shift} trade reached {shift} $160.7 million, {shift} up 15% {shift} \
             in the first half of 2003; {shift} on April 8, 1997 {shift} a treaty was signed."
        );
        let found = extract::mentions(&text, None);
        assert!(found.len() >= 4, "{text}: {found:?}");
        for m in found {
            let v = m.to_json();
            let (a, b) = (
                v["start"].as_u64().unwrap_or(u64::MAX) as usize,
                v["end"].as_u64().unwrap_or(u64::MAX) as usize,
            );
            assert!(in_text(&text, a, b), "{v} in {text:?}");
            if let Some(said) = v["text"].as_str() {
                assert_eq!(&text[a..b], said, "{v}");
            }
        }
    }
}

#[test]
fn question_understanding_reads_past_length_changing_case() {
    let aliases = Aliases::load(&repo().join("index/aliases.toml")).expect("aliases");
    for shift in SHIFTY {
        let q = question::parse(
            &format!("{shift} trade {shift} kazakhstan 2002 {shift}"),
            &aliases,
        );
        assert_eq!(q.years, vec![2002], "{shift}");
        assert_eq!(q.countries.len(), 1, "{shift}");
        let q = question::parse(
            &format!("/when {shift} treaty of eternal friendship {shift}"),
            &aliases,
        );
        let words: Vec<&str> = q.event_words.iter().map(|w| w.word.as_str()).collect();
        assert!(words.contains(&"treaty"), "{shift}: {words:?}");
        assert!(words.contains(&"friendship"), "{shift}: {words:?}");
    }
}

#[test]
fn passages_point_into_documents_with_length_changing_case() {
    for shift in SHIFTY {
        let content = format!(
            "# {shift} Title {shift}\n\n date 2024-04-17 {shift} First paragraph {shift}.\n\n{shift} Second {shift} paragraph."
        );
        let opts = SplitOptions {
            max_passage_words: 2,
            ..SplitOptions::default()
        };
        let doc = parse_document("p.md", &content, opts).expect("a document");
        assert!(doc.passages.len() >= 2, "{content}");
        for p in &doc.passages {
            assert!(in_text(&content, p.start, p.end), "{content:?}");
            let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(words(&content[p.start..p.end]).contains(&p.text), "{p:?}");
        }
    }
}

/// Highlights are found in each passage and shifted into its snippet; both are sliced and
/// marked by the renderers.
#[test]
fn highlights_and_snippets_point_into_passages_with_length_changing_case() {
    let dir = tempfile::tempdir().expect("tmp");
    let filler = "words that only fill the passage out ".repeat(12);
    let mut body = String::from("# Relations\n\n");
    for shift in SHIFTY {
        body.push_str(&format!(
            "{shift}{filler}{shift} İstanbul hosted the KELVİN trade talks {shift} between Kazakhstan and Türkiye in 2002 {shift}{filler}\n\n"
        ));
    }
    std::fs::write(dir.path().join("doc.md"), body).expect("write");
    let (engine, _index) = engine_for(dir.path());
    let mut marked = 0;
    for question in [
        "İstanbul trade talks",
        "ISTANBUL kelvin talks",
        "talks türkiye",
    ] {
        let a = engine.ask(question);
        for s in &a.sources {
            for &(x, y) in &s.highlights {
                assert!(in_text(&s.snippet, x, y), "{x}..{y} in {:?}", s.snippet);
                marked += 1;
            }
            let html = render::telegram_passage(s, a.lang);
            assert!(html.contains("<b>"), "{html}");
        }
        render::telegram_html(&a, 4096);
        render::plain(&a, render::Marks::Stars);
    }
    assert!(marked > 0, "no highlight was checked");
}
