//! Who a dated event concerns. Its parties are the names of its own clause, then of its
//! sentence; a name that only says where it happened ("signed in Vatican City", "в Шуше")
//! is a place, not a party. "The two countries", "both sides", "обе страны" mean the
//! document's main pair (the names of its title, then the passage's most mentioned); an
//! event that names fewer than two parties is completed from the same pair.

use std::sync::LazyLock;

use regex::Regex;

use crate::aliases::{EntityId, EntityMention};
use crate::lexicon::{self, lexicon};

static MAIN_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    let mut words = lexicon().event_parties.main_pair.clone();
    words.extend(lexicon().scope.both_sides.iter().cloned());
    lexicon::words_regex(&words)
});
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:^|[^\w])(?:{})\s+$",
        lexicon::alternation(&lexicon().event_parties.place)
    ))
    .expect("place words compile (tested)")
});

/// Whether the name at `start` of `text` is where something happened: "in Tbilisi".
pub fn is_place(text: &str, start: usize) -> bool {
    let before = &text[..start.min(text.len())];
    // Only the last few words matter.
    let from = before.char_indices().rev().nth(12).map_or(0, |(i, _)| i);
    PLACE.is_match(&before[from..])
}

/// Whether a text speaks of the document's main pair ("the two countries signed").
pub fn refers_to_main_pair(text: &str) -> bool {
    MAIN_PAIR.is_match(text)
}

/// The document's main pair: the title's names, then the passage's most mentioned.
pub fn main_pair(title: &[EntityId], passage: &[EntityId]) -> Vec<EntityId> {
    let mut out: Vec<EntityId> = Vec::new();
    for &e in title.iter().chain(passage) {
        if out.len() >= 2 {
            break;
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// What is known around a dated event, for [`parties`].
pub struct Around<'a> {
    /// The event's words and the names found in them (offsets into `event`).
    pub event: &'a str,
    pub event_names: &'a [EntityMention],
    /// The sentence and its names (offsets into `sentence`).
    pub sentence: &'a str,
    pub sentence_names: &'a [EntityMention],
    /// The document's main pair ([`main_pair`]).
    pub main_pair: &'a [EntityId],
}

/// The parties of a dated event, in order: the main pair first when the sentence speaks of
/// it, else the event's names, the sentence's, and the main pair to complete two.
pub fn parties(a: &Around) -> Vec<EntityId> {
    let mut out: Vec<EntityId> = Vec::new();
    let add = |e: EntityId, out: &mut Vec<EntityId>| {
        if !out.contains(&e) {
            out.push(e);
        }
    };
    if refers_to_main_pair(a.sentence) {
        for &e in a.main_pair {
            add(e, &mut out);
        }
    }
    for m in a.event_names {
        if !is_place(a.event, m.start) {
            add(m.entity, &mut out);
        }
    }
    for m in a.sentence_names {
        if !is_place(a.sentence, m.start) {
            add(m.entity, &mut out);
        }
    }
    for &e in a.main_pair {
        if out.len() >= 2 {
            break;
        }
        add(e, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(entity: usize, text: &str, name: &str) -> EntityMention {
        let start = text.find(name).expect("name in text");
        EntityMention {
            entity,
            start,
            end: start + name.len(),
        }
    }

    #[test]
    fn a_place_is_not_a_party() {
        let s = "The Treaty of Peace was signed in Vatican City on 29 November 1984.";
        assert!(is_place(s, s.find("Vatican").expect("v")));
        let s = "Шушинская декларация была подписана в Шуше.";
        assert!(is_place(s, s.find("Шуше").expect("ш")));
        let s = "The president paid a visit to Belgrade.";
        assert!(!is_place(s, s.find("Belgrade").expect("b")));
    }

    #[test]
    fn the_two_countries_are_the_main_pair() {
        let pair = [1, 2];
        let sentence = "In 1998 the two countries signed the treaty in Vatican City.";
        let names = [m(9, sentence, "Vatican")];
        let p = parties(&Around {
            event: "the two countries signed the treaty",
            event_names: &[],
            sentence,
            sentence_names: &names,
            main_pair: &pair,
        });
        assert_eq!(p, pair.to_vec());
    }

    #[test]
    fn an_event_naming_one_party_is_completed_from_the_title() {
        let pair = [1, 2];
        let event = "Country-three joined the union";
        let names = [m(3, event, "Country-three")];
        let p = parties(&Around {
            event,
            event_names: &names,
            sentence: event,
            sentence_names: &names,
            main_pair: &pair,
        });
        assert_eq!(p, vec![3, 1]);
    }
}
