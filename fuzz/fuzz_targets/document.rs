//! Document parsing over arbitrary content: passages must be non-empty, in order, and
//! their byte ranges must lie on char boundaries inside the content.
#![no_main]

use factbot::corpus::{parse_document, SplitOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the passage size limit, so splitting is exercised too.
    let (words, rest) = match data.split_first() {
        Some((b, rest)) => (usize::from(*b % 64), rest),
        None => (200, data),
    };
    let content = String::from_utf8_lossy(rest);
    let opts = SplitOptions {
        max_passage_words: words,
        ..SplitOptions::default()
    };
    if let Some(doc) = parse_document("fuzz.md", &content, opts) {
        assert!(!doc.passages.is_empty());
        for (i, p) in doc.passages.iter().enumerate() {
            assert_eq!(p.position, i);
            assert!(!p.text.trim().is_empty(), "empty passage in {content:?}");
            assert!(
                p.start <= p.end
                    && p.end <= content.len()
                    && content.is_char_boundary(p.start)
                    && content.is_char_boundary(p.end),
                "passage {}..{} out of {content:?}",
                p.start,
                p.end
            );
        }
    }
});
