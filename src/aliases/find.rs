//! Finding the entities a text names. Names match on stems, longest first; the rest are
//! small rules, each its own function: codes (upper case in documents; words such as "IT"
//! only where they cannot be the word), capitals (a government, not a place), compounds
//! ("Sino-Russian", "армяно-грузинский").

use super::{fold, Aliases, EntityId, EntityMention, Target, KEY_SEP};
use crate::text::{self, Term};

/// A possible mention that its neighbours decide.
#[derive(Debug, Clone, Copy)]
struct Pending {
    term: usize,
    entity: EntityId,
    kind: PendingKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PendingKind {
    /// "Sino-", "армяно-": needs a hyphen and another entity after it.
    Compound,
    /// "us", "IT": a code that is also a word.
    WordCode,
}

/// A confirmed mention with the terms it spans.
#[derive(Debug, Clone, Copy)]
struct Found {
    first: usize,
    last: usize,
    entity: EntityId,
}

impl Aliases {
    /// Entities named in `text`. `terms` are the analyzer's terms of `text`. `question`
    /// says the text is a typed question: codes then match in any case (`/trade kz kg`),
    /// except codes that are also words ("it", "us"), which need upper case, a hyphen
    /// ("us-china") or a bare list of countries (`/trade us cn 2023`); and a capital is a
    /// place or a keyword there ("dam talks washington"), not a country to filter by.
    pub fn find(&self, text: &str, terms: &[Term], question: bool) -> Vec<EntityMention> {
        let mut found: Vec<Found> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut key = String::new();
        let mut i = 0;
        while i < terms.len() {
            let (len, target) = self.name_at(text, terms, i, &mut key);
            match target {
                Some(Target::Entity(id)) => found.push(Found {
                    first: i,
                    last: i + len - 1,
                    entity: id,
                }),
                Some(Target::Capital(id))
                    if !question && self.is_government(text, terms, i, i + len - 1) =>
                {
                    found.push(Found {
                        first: i,
                        last: i + len - 1,
                        entity: id,
                    })
                }
                Some(Target::Combining(id)) if len == 1 => pending.push(Pending {
                    term: i,
                    entity: id,
                    kind: PendingKind::Compound,
                }),
                Some(_) => {}
                None => {
                    if let Some(p) = self.unnamed_word(text, terms, i, question) {
                        pending.push(p);
                    } else if let Some(id) = self.code_at(text, &terms[i], question) {
                        found.push(Found {
                            first: i,
                            last: i,
                            entity: id,
                        });
                    }
                }
            }
            i += len.max(1);
        }
        self.resolve(text, terms, question, &mut found, &pending);
        found.sort_by_key(|f| f.first);
        found
            .into_iter()
            .map(|f| EntityMention {
                entity: f.entity,
                start: terms[f.first].start,
                end: terms[f.last].end,
            })
            .collect()
    }

    /// The longest name starting at term `i`: its length in terms and what it names.
    fn name_at(
        &self,
        text: &str,
        terms: &[Term],
        i: usize,
        key: &mut String,
    ) -> (usize, Option<Target>) {
        let Some(start) = self.starts.get(&terms[i].term) else {
            return (1, None);
        };
        for &len in start.lengths.iter().filter(|&&l| i + l <= terms.len()) {
            if len == 1 && start.exact {
                if let Some(&id) = self.exact.get(&fold(&text[terms[i].start..terms[i].end])) {
                    return (1, Some(Target::Entity(id)));
                }
            }
            key.clear();
            for (n, t) in terms[i..i + len].iter().enumerate() {
                if n > 0 {
                    key.push(KEY_SEP);
                }
                key.push_str(&t.term);
            }
            if let Some(&target) = self.names.get(key.as_str()) {
                return (len, Some(target));
            }
        }
        if start.exact {
            if let Some(&id) = self.exact.get(&fold(&text[terms[i].start..terms[i].end])) {
                return (1, Some(Target::Entity(id)));
            }
        }
        (1, None)
    }

    /// A code standing alone: upper case in documents, any case in questions.
    fn code_at(&self, text: &str, t: &Term, question: bool) -> Option<EntityId> {
        let word = &text[t.start..t.end];
        if word.len() > self.longest_code * 4 || word.chars().count() > self.longest_code {
            return None;
        }
        if !question && !is_upper(word) {
            return None;
        }
        let code = word.to_uppercase();
        if question && self.word_codes.contains_key(&code) {
            return None;
        }
        self.codes.get(&code).copied()
    }

    /// A word no name matched that its neighbours may make a mention: a word code in a
    /// question, or the first part of a Russian "-о-" compound.
    fn unnamed_word(
        &self,
        text: &str,
        terms: &[Term],
        i: usize,
        question: bool,
    ) -> Option<Pending> {
        let word = &text[terms[i].start..terms[i].end];
        if question && word.chars().count() <= self.longest_code {
            if let Some(&id) = self.word_codes.get(&word.to_uppercase()) {
                return Some(Pending {
                    term: i,
                    entity: id,
                    kind: PendingKind::WordCode,
                });
            }
        }
        if hyphen_after(text, terms, i) {
            if let Some(id) = ru_compound_base(word).and_then(|b| self.ru_bases.get(&b)) {
                return Some(Pending {
                    term: i,
                    entity: *id,
                    kind: PendingKind::Compound,
                });
            }
        }
        None
    }

    /// A capital names its government unless it is a place ("in Hanoi", "Treaty of Rome")
    /// or part of a longer name ("Moscow Exchange", "Minsk agreements").
    fn is_government(&self, text: &str, terms: &[Term], first: usize, last: usize) -> bool {
        let before = (0..first)
            .rev()
            .map(|j| fold(&text[terms[j].start..terms[j].end]))
            .find(|w| w != "the");
        if before.is_some_and(|w| self.locative.contains(&w)) {
            return false;
        }
        let Some(next) = terms.get(last + 1) else {
            return true;
        };
        let next_word = &text[next.start..next.end];
        let gap = &text[terms[last].end..next.start];
        let joined = gap.chars().all(|c| c.is_whitespace() || is_hyphen(c));
        !(joined && starts_upper(next_word) || self.not_after_capital.contains(&fold(next_word)))
    }

    /// Keeps the pending mentions their neighbours confirm: compounds before another
    /// entity (right to left, so "Austro-Hungarian-" chains work) and word codes in
    /// questions.
    fn resolve(
        &self,
        text: &str,
        terms: &[Term],
        question: bool,
        found: &mut Vec<Found>,
        pending: &[Pending],
    ) {
        let starts_mention = |found: &[Found], j: usize| found.iter().any(|f| f.first == j);
        let ends_mention = |found: &[Found], j: usize| found.iter().any(|f| f.last == j);
        let mut codes: Vec<&Pending> = Vec::new();
        for p in pending.iter().rev() {
            match p.kind {
                PendingKind::Compound => {
                    if hyphen_after(text, terms, p.term) && starts_mention(found, p.term + 1) {
                        found.push(Found {
                            first: p.term,
                            last: p.term,
                            entity: p.entity,
                        });
                    }
                }
                PendingKind::WordCode => codes.push(p),
            }
        }
        if codes.is_empty() || !question {
            return;
        }
        let bare = is_bare_list(text, terms, found, &codes);
        let shouting = is_shouting(text, terms);
        let mut confirmed = Vec::new();
        for p in codes {
            let word = &text[terms[p.term].start..terms[p.term].end];
            let hyphened = (hyphen_after(text, terms, p.term)
                && (starts_mention(found, p.term + 1)))
                || (p.term > 0
                    && hyphen_after(text, terms, p.term - 1)
                    && ends_mention(found, p.term - 1));
            let typed_upper = is_upper(word) && !shouting;
            let listed = bare && !text::is_stop_word(&word.to_lowercase());
            if typed_upper || hyphened || listed {
                confirmed.push(Found {
                    first: p.term,
                    last: p.term,
                    entity: p.entity,
                });
            }
        }
        found.extend(confirmed);
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–')
}

fn is_upper(word: &str) -> bool {
    word.chars().all(|c| !c.is_lowercase())
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Term `i` is joined to the next by a hyphen ("Sino-Russian", "us-china").
fn hyphen_after(text: &str, terms: &[Term], i: usize) -> bool {
    match (terms.get(i), terms.get(i + 1)) {
        (Some(a), Some(b)) => {
            let gap = &text[a.end..b.start];
            let mut chars = gap.chars();
            chars.next().is_some_and(is_hyphen) && chars.next().is_none()
        }
        _ => false,
    }
}

/// The base of a Russian compound's first part: "армяно" → "армян", "грузино" →
/// "грузин". Only words ending in -о or -е can be one.
fn ru_compound_base(word: &str) -> Option<String> {
    let w = fold(word);
    if !text::is_cyrillic(&w) {
        return None;
    }
    let base = w.strip_suffix('о').or_else(|| w.strip_suffix('е'))?;
    (base.chars().count() >= 3).then(|| base.to_string())
}

/// The question is only countries, codes and numbers, naming two entities or more:
/// `/trade us cn 2023`, `by ru`.
fn is_bare_list(text: &str, terms: &[Term], found: &[Found], codes: &[&Pending]) -> bool {
    let covered = |j: usize| {
        found.iter().any(|f| f.first <= j && j <= f.last) || codes.iter().any(|p| p.term == j)
    };
    let all = (0..terms.len()).all(|j| {
        covered(j)
            || text[terms[j].start..terms[j].end]
                .chars()
                .all(|c| c.is_ascii_digit())
    });
    let mut entities: Vec<EntityId> = found.iter().map(|f| f.entity).collect();
    entities.extend(codes.iter().map(|p| p.entity));
    entities.sort_unstable();
    entities.dedup();
    all && entities.len() >= 2
}

/// Typed all in capitals ("WHAT IS IT IN 2023"): upper case then says nothing about codes.
fn is_shouting(text: &str, terms: &[Term]) -> bool {
    let words: Vec<&str> = terms
        .iter()
        .map(|t| &text[t.start..t.end])
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    words.len() >= 2 && words.iter().all(|w| is_upper(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_joins_only_adjacent_words() {
        let t = "Sino-Russian and Sino - Russian";
        let mut an = text::analyzer();
        let terms = text::terms(&mut an, t);
        assert!(hyphen_after(t, &terms, 0));
        assert!(!hyphen_after(t, &terms, 1));
        assert!(!hyphen_after(t, &terms, 3));
    }

    #[test]
    fn russian_compound_base_drops_the_linking_vowel() {
        assert_eq!(ru_compound_base("армяно").as_deref(), Some("армян"));
        assert_eq!(ru_compound_base("Грузино").as_deref(), Some("грузин"));
        assert_eq!(ru_compound_base("армянский"), None);
        assert_eq!(ru_compound_base("Sino"), None);
    }

    #[test]
    fn shouting_needs_two_capitalised_words() {
        let mut an = text::analyzer();
        let t = "WHAT IS IT IN 2023";
        assert!(is_shouting(t, &text::terms(&mut an, t)));
        let t = "trade US 2023";
        assert!(!is_shouting(t, &text::terms(&mut an, t)));
        let t = "US";
        assert!(!is_shouting(t, &text::terms(&mut an, t)));
    }
}
