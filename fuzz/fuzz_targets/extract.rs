//! Fact extraction over arbitrary text: mentions must lie on char boundaries inside the
//! text, and extraction must never panic.
#![no_main]

use std::sync::OnceLock;

use factbot::aliases::Aliases;
use factbot::extract::{self, extract_facts, FactContext};
use libfuzzer_sys::fuzz_target;

fn aliases() -> &'static Aliases {
    static A: OnceLock<Aliases> = OnceLock::new();
    A.get_or_init(Aliases::builtin)
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks a publication date (or none), which resolves relative years.
    let (published, rest) = match data.split_first() {
        Some((b, rest)) if b % 4 != 0 => (
            chrono::NaiveDate::from_ymd_opt(1990 + i32::from(*b % 40), 1 + u32::from(*b % 12), 1),
            rest,
        ),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    let text = String::from_utf8_lossy(rest);
    for m in extract::mentions(&text, published) {
        let v = m.to_json();
        let (a, b) = (
            v["start"].as_u64().unwrap_or(0) as usize,
            v["end"].as_u64().unwrap_or(0) as usize,
        );
        assert!(
            a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b),
            "mention {v} out of {text:?}"
        );
    }
    let ctx = FactContext {
        published,
        aliases: aliases(),
        title: "Kyrgyzstan — Kazakhstan",
        date_order: Default::default(),
    };
    extract_facts(&text, &ctx);
});
