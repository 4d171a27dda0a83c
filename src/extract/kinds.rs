//! What kind of event a dated clause (or a date question) is about: a signing, a
//! ratification, an entry into force, an establishment, an accession or a visit. Read with
//! the `[event_kinds]` patterns of the lexicon, the same for documents and questions, so
//! "when did Kyrgyzstan ratify the treaty" is told from the treaty's signing.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::lexicon::{self, lexicon};

/// One kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Signing,
    Ratification,
    EntryIntoForce,
    Establishment,
    Accession,
    Visit,
}

impl EventKind {
    const ALL: [EventKind; 6] = [
        EventKind::Signing,
        EventKind::Ratification,
        EventKind::EntryIntoForce,
        EventKind::Establishment,
        EventKind::Accession,
        EventKind::Visit,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of event kinds (a clause may be several: "signed and ratified").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Kinds(u8);

impl Serialize for Kinds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Kinds {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, k: EventKind) -> bool {
        self.0 & k.bit() != 0
    }

    /// Whether the two sets share a kind.
    pub fn overlaps(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }

    /// Both sets together.
    pub fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = EventKind> {
        EventKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

static PATTERNS: LazyLock<Vec<(EventKind, Regex)>> = LazyLock::new(|| {
    let k = &lexicon().event_kinds;
    [
        (EventKind::Signing, &k.signing),
        (EventKind::Ratification, &k.ratification),
        (EventKind::EntryIntoForce, &k.entry_into_force),
        (EventKind::Establishment, &k.establishment),
        (EventKind::Accession, &k.accession),
        (EventKind::Visit, &k.visit),
    ]
    .into_iter()
    .map(|(kind, words)| (kind, lexicon::words_regex(words)))
    .collect()
});

/// The kinds of event a text (an event clause, a question) speaks of.
pub fn kinds_of(text: &str) -> Kinds {
    let mut bits = 0;
    for (kind, re) in PATTERNS.iter() {
        if re.is_match(text) {
            bits |= kind.bit();
        }
    }
    Kinds(bits)
}

/// The byte ranges of `text` that name a kind of event ("entered into force", "signed").
pub fn kind_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = PATTERNS
        .iter()
        .flat_map(|(_, re)| re.find_iter(text).map(|m| (m.start(), m.end())))
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(text: &str) -> Vec<EventKind> {
        kinds_of(text).iter().collect()
    }

    #[test]
    fn kinds_in_english() {
        assert_eq!(
            only("the Treaty of Friendship, signed"),
            [EventKind::Signing]
        );
        assert_eq!(
            only("the parliament ratified the treaty"),
            [EventKind::Ratification]
        );
        assert_eq!(
            only("the agreement entered into force"),
            [EventKind::EntryIntoForce]
        );
        assert_eq!(
            only("diplomatic relations were established"),
            [EventKind::Establishment]
        );
        assert_eq!(only("Armenia joined the union"), [EventKind::Accession]);
        assert_eq!(only("the president's state visit"), [EventKind::Visit]);
        assert_eq!(
            only("signed and ratified"),
            [EventKind::Signing, EventKind::Ratification]
        );
    }

    #[test]
    fn kinds_in_russian() {
        assert_eq!(only("договор был подписан"), [EventKind::Signing]);
        assert_eq!(
            only("парламент ратифицировал договор"),
            [EventKind::Ratification]
        );
        assert_eq!(
            only("соглашение вступило в силу"),
            [EventKind::EntryIntoForce]
        );
        assert_eq!(
            only("установлены дипломатические отношения"),
            [EventKind::Establishment]
        );
    }

    #[test]
    fn spans_cover_every_word_of_a_kind_phrase() {
        let q = "when did the treaty come into force";
        let spans = kind_spans(q);
        assert_eq!(spans.len(), 1);
        assert_eq!(&q[spans[0].0..spans[0].1], "come into force");
    }

    #[test]
    fn words_that_only_look_like_kinds_are_none() {
        assert!(kinds_of("a significant signal of trade").is_empty());
        assert!(kinds_of("the border dispute").is_empty());
    }
}
