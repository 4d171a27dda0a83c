//! Typo repair of country names typed in questions ("kazahstan", "phillipines"). Precision
//! first: a word shorter than six letters, a word whose first letter differs, a word listed
//! as an ordinary word in the alias file ("while" is one letter from "Chile") and a word as
//! close to two entities are never repaired.

use rustc_hash::{FxHashMap, FxHashSet};

use super::EntityId;
use crate::text;

/// Words shorter than this are never repaired: too many ordinary words are one letter
/// from a short name ("mail"/"Mali", "tiger"/"Niger", "chain"/"China").
const MIN_CHARS: usize = 6;

/// Spellings of one length: the letters and the entity they name.
type Bucket = Vec<(Vec<char>, EntityId)>;

/// Spellings bucketed by first letter, then by length in characters, lowercased once: a
/// word is compared with the few spellings that start like it and are about as long.
#[derive(Debug, Clone, Default)]
pub(super) struct FuzzyIndex {
    by_first: FxHashMap<char, Vec<Bucket>>,
    never: FxHashSet<String>,
}

/// A Russian adjective's dictionary form: typo repair leaves adjectives alone (long
/// adjectives are within two letters of too many others: "московский"/"молдовский").
fn is_ru_adjective(word: &str) -> bool {
    ["ский", "цкий", "ская", "цкая"]
        .iter()
        .any(|e| word.ends_with(e))
}

/// Typo budget for names: one edit up to nine letters, two from ten.
fn budget(chars: usize) -> usize {
    match chars {
        0..MIN_CHARS => 0,
        MIN_CHARS..=9 => 1,
        _ => 2,
    }
}

impl FuzzyIndex {
    /// Adds the one-word spellings of an entity.
    pub(super) fn add(&mut self, spellings: &[String], id: EntityId) {
        for s in spellings {
            let lower = super::fold(s);
            if lower.contains(|c: char| !c.is_alphabetic()) || is_ru_adjective(&lower) {
                continue;
            }
            let chars: Vec<char> = lower.chars().collect();
            let Some(&first) = chars.first() else {
                continue;
            };
            let by_len = self.by_first.entry(first).or_default();
            if by_len.len() <= chars.len() {
                by_len.resize(chars.len() + 1, Vec::new());
            }
            let bucket = &mut by_len[chars.len()];
            if !bucket.iter().any(|(c, i)| *c == chars && *i == id) {
                bucket.push((chars, id));
            }
        }
    }

    /// Words never read as a typo of a name.
    pub(super) fn never(&mut self, words: &[String]) {
        self.never.extend(words.iter().map(|w| super::fold(w)));
    }

    /// The one entity a word is a typo of, if any.
    pub(super) fn entity(&self, word: &str) -> Option<EntityId> {
        let budget = budget(word.chars().count());
        if budget == 0 {
            return None;
        }
        let lower = super::fold(word);
        let chars: Vec<char> = lower.chars().collect();
        let by_len = chars.first().and_then(|c| self.by_first.get(c))?;
        if self.never.contains(&lower) {
            return None;
        }
        let mut best: Option<(usize, EntityId)> = None;
        let mut tied = false;
        let lo = chars.len().saturating_sub(budget);
        let hi = (chars.len() + budget).min(by_len.len().saturating_sub(1));
        for bucket in by_len.get(lo..=hi).into_iter().flatten() {
            for (spelling, id) in bucket {
                let d = text::edit_distance_chars(&chars, spelling, budget);
                if d > budget {
                    continue;
                }
                match best {
                    Some((bd, bid)) if d == bd && bid != *id => tied = true,
                    Some((bd, _)) if d >= bd => {}
                    _ => {
                        best = Some((d, *id));
                        tied = false;
                    }
                }
            }
        }
        if tied {
            return None;
        }
        best.map(|(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Aliases;

    fn fuzzy(word: &str) -> Option<String> {
        let a = Aliases::builtin();
        a.fuzzy_entity(word).map(|id| a.entity(id).name.clone())
    }

    #[test]
    fn repairs_typed_country_names() {
        for (typed, name) in [
            ("kazahstan", "Kazakhstan"),
            ("kirgizstan", "Kyrgyzstan"),
            ("kyrgystan", "Kyrgyzstan"),
            ("phillipines", "Philippines"),
            ("malasia", "Malaysia"),
            ("indonesa", "Indonesia"),
            ("tailand", "Thailand"),
            ("vietnamm", "Vietnam"),
            ("argentna", "Argentina"),
            ("isreal", "Israel"),
            ("вьетнамм", "Vietnam"),
            ("малайзиа", "Malaysia"),
        ] {
            assert_eq!(fuzzy(typed).as_deref(), Some(name), "{typed}");
        }
    }

    #[test]
    fn ordinary_words_are_not_countries() {
        for word in [
            "mail",
            "main",
            "chili",
            "while",
            "child",
            "chain",
            "tiger",
            "sedan",
            "begin",
            "woman",
            "roman",
            "finish",
            "hungry",
            "green",
            "indiana",
            "columbia",
            "turnkey",
            "standard",
            "creation",
            "detail",
            "канала",
            "фракции",
            "бензин",
            "польза",
            "детский",
            "московский",
            "советский",
        ] {
            assert_eq!(fuzzy(word), None, "{word}");
        }
    }

    #[test]
    fn names_one_letter_apart_stay_apart() {
        // Exact names are found by the matcher; typo repair must not swap near neighbours.
        assert_eq!(fuzzy("austria").as_deref(), Some("Austria"));
        assert_eq!(fuzzy("australia").as_deref(), Some("Australia"));
        assert_eq!(fuzzy("slovenia").as_deref(), Some("Slovenia"));
        assert_eq!(fuzzy("slovakia").as_deref(), Some("Slovakia"));
        assert_eq!(fuzzy("nigeria").as_deref(), Some("Nigeria"));
        assert_eq!(fuzzy("zambia").as_deref(), Some("Zambia"));
        assert_eq!(fuzzy("gambia").as_deref(), Some("Gambia"));
        assert_eq!(fuzzy("iran"), None, "too short to repair");
        assert_eq!(fuzzy("nigerr").as_deref(), Some("Niger"));
    }
}
