//! The fact table prepared for answering: every fact's sentence and event as ids into one
//! vocabulary of stems, and the entities its sentence names. Built once when an index is
//! opened, so that answering never re-analyzes text and matching a question word is one
//! pass over the vocabulary, not over every fact.

use std::collections::HashMap;

use crate::aliases::{Aliases, EntityId};
use crate::extract::kinds::{kinds_of, Kinds};
use crate::extract::Fact;
use crate::index::{IndexMeta, StoredFact};
use crate::question::EventWord;
use crate::text;

/// Stems of a fact, as ids into [`FactTable::vocab`].
#[derive(Debug, Default, Clone)]
pub struct FactTerms {
    pub sentence: Vec<u32>,
    pub event: Vec<u32>,
    /// The stems of the fact's document title.
    pub title: Vec<u32>,
    /// The entities its sentence names.
    pub named: Vec<EntityId>,
    /// The entities its document's title names.
    pub title_named: Vec<EntityId>,
    /// The kinds of event a date's event clause speaks of (empty for money).
    pub kinds: Kinds,
    /// The kinds of event its whole sentence speaks of.
    pub sentence_kinds: Kinds,
    /// Stems of its sentence that belong to the event clause of another date of the same
    /// sentence ("Mexico ratified it in December 2019, and Canada's parliament adopted it
    /// in March 2020": "parliament" is March's, not December's).
    pub others_events: Vec<u32>,
}

#[derive(Debug, Default)]
pub struct FactTable {
    pub vocab: Vec<String>,
    pub terms: Vec<FactTerms>,
    /// What [`FactTable::matches`] needs of each vocabulary stem, worked out once.
    shapes: Vec<StemShape>,
}

/// A vocabulary stem's length, script and Latin spelling, for the scan of every question
/// word over the vocabulary.
#[derive(Debug, Default)]
struct StemShape {
    chars: usize,
    cyrillic: bool,
    latin: String,
    latin_chars: usize,
}

impl StemShape {
    fn of(stem: &str) -> StemShape {
        let latin = text::transliterate(stem);
        StemShape {
            chars: stem.chars().count(),
            cyrillic: text::is_cyrillic(stem),
            latin_chars: latin.chars().count(),
            latin,
        }
    }
}

/// The table's vocabulary while it is built: each stem once, with its id.
#[derive(Default)]
struct Vocab {
    analyzer: Option<tantivy::tokenizer::TextAnalyzer>,
    ids: HashMap<String, u32>,
    stems: Vec<String>,
}

impl Vocab {
    /// The ids of a text's stems, sorted, each once.
    fn stems(&mut self, text: &str) -> Vec<u32> {
        let toks = text::terms(self.analyzer.get_or_insert_with(text::analyzer), text);
        self.intern(toks)
    }

    /// [`Vocab::stems`] and the entities the text names.
    fn stems_and_names(&mut self, aliases: &Aliases, text: &str) -> (Vec<u32>, Vec<EntityId>) {
        let toks = text::terms(self.analyzer.get_or_insert_with(text::analyzer), text);
        let named = aliases
            .find(text, &toks, false)
            .into_iter()
            .map(|m| m.entity)
            .collect();
        (self.intern(toks), named)
    }

    fn intern(&mut self, toks: Vec<text::Term>) -> Vec<u32> {
        let mut v: Vec<u32> = toks
            .into_iter()
            .map(|t| {
                *self.ids.entry(t.term).or_insert_with_key(|k| {
                    self.stems.push(k.clone());
                    (self.stems.len() - 1) as u32
                })
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl FactTable {
    pub fn build(meta: &IndexMeta, aliases: &Aliases) -> FactTable {
        let facts = &meta.facts;
        let mut vocab = Vocab::default();
        // A title's stems, analysed once per document that has facts.
        let mut titles: HashMap<usize, (Vec<u32>, Vec<EntityId>)> = HashMap::new();
        // Facts of one sentence share its analysis.
        let mut last: Option<(String, Vec<u32>, Vec<EntityId>, Kinds)> = None;
        let mut terms = Vec::with_capacity(facts.len());
        for sf in facts {
            let (sentence, event) = match &sf.fact {
                Fact::Money(m) => (&m.sentence, None),
                Fact::Date(d) => (&d.sentence, Some(&d.event)),
            };
            let (sent_ids, named, sentence_kinds) = match &last {
                Some((s, ids, named, k)) if s == sentence => (ids.clone(), named.clone(), *k),
                _ => {
                    let (v, named) = vocab.stems_and_names(aliases, sentence);
                    let k = kinds_of(sentence);
                    last = Some((sentence.clone(), v.clone(), named.clone(), k));
                    (v, named, k)
                }
            };
            let event_ids = event.map_or_else(Vec::new, |e| vocab.stems(e));
            let (title, title_named) = titles
                .entry(sf.doc)
                .or_insert_with(|| {
                    let title = meta.documents.get(sf.doc).map_or("", |d| d.title.as_str());
                    vocab.stems_and_names(aliases, title)
                })
                .clone();
            terms.push(FactTerms {
                sentence: sent_ids,
                event: event_ids,
                title,
                named,
                title_named,
                kinds: event.map_or_else(Kinds::default, |e| kinds_of(e)),
                sentence_kinds,
                others_events: Vec::new(),
            });
        }
        claim_other_events(facts, &mut terms);
        let shapes = vocab.stems.iter().map(|s| StemShape::of(s)).collect();
        FactTable {
            vocab: vocab.stems,
            terms,
            shapes,
        }
    }

    /// The vocabulary ids a question word matches: the same stem, an alias or synonym, a
    /// typo of it, or the same name in the other script.
    pub fn matches(&self, aliases: &Aliases, w: &EventWord) -> Vec<u32> {
        let budget = text::typo_budget(&w.word);
        let cyrillic = text::is_cyrillic(&w.stem);
        let latin = text::transliterate(&w.stem);
        let len = w.stem.chars().count();
        let latin_len = latin.chars().count();
        let other_forms = aliases.has_other_forms(&w.stem);
        // Length bounds go first: an edit distance within the budget needs lengths within it.
        let mut out: Vec<u32> = self
            .vocab
            .iter()
            .zip(&self.shapes)
            .enumerate()
            .filter(|(_, (s, shape))| {
                **s == w.stem
                    || (other_forms && aliases.same_meaning(s, &w.stem))
                    || (len >= 5
                        && shape.chars >= 5
                        && shape.chars.abs_diff(len) <= budget
                        && text::edit_distance(s, &w.stem, budget) <= budget)
                    || (cyrillic != shape.cyrillic
                        && latin_len >= 5
                        && shape.chars >= 4
                        && shape.latin_chars.abs_diff(latin_len) <= budget
                        && text::edit_distance(&shape.latin, &latin, budget) <= budget)
            })
            .map(|(i, _)| i as u32)
            .collect();
        out.sort_unstable();
        out
    }
}

/// Fills [`FactTerms::others_events`]: the facts of one sentence follow each other.
fn claim_other_events(facts: &[StoredFact], terms: &mut [FactTerms]) {
    fn sentence_of(sf: &StoredFact) -> Option<&str> {
        match &sf.fact {
            Fact::Date(d) => Some(d.sentence.as_str()),
            Fact::Money(_) => None,
        }
    }
    let mut i = 0;
    while i < facts.len() {
        let key = (facts[i].doc, facts[i].passage, sentence_of(&facts[i]));
        let mut j = i + 1;
        while j < facts.len() && (facts[j].doc, facts[j].passage, sentence_of(&facts[j])) == key {
            j += 1;
        }
        if key.2.is_some() && j - i > 1 {
            for k in i..j {
                let mut claimed: Vec<u32> = (i..j)
                    .filter(|&o| o != k)
                    .flat_map(|o| terms[o].event.iter().copied())
                    .filter(|id| terms[k].event.binary_search(id).is_err())
                    .collect();
                claimed.sort_unstable();
                claimed.dedup();
                terms[k].others_events = claimed;
            }
        }
        i = j;
    }
}

/// Whether two sorted id lists share an id.
pub fn intersects(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{DateFact, PartialDate};

    fn date_fact(sentence: &str, event: &str, year: i32) -> StoredFact {
        StoredFact {
            doc: 0,
            passage: 0,
            fact: Fact::Date(DateFact {
                date: PartialDate {
                    year,
                    month: None,
                    day: None,
                },
                text: year.to_string(),
                start: 0,
                end: 0,
                event: event.to_string(),
                parties: Vec::new(),
                sentence: sentence.to_string(),
            }),
        }
    }

    #[test]
    fn words_of_another_dated_clause_are_claimed_by_it() {
        let sentence = "Mexico ratified it in 2019, and Canada's parliament adopted it in 2020.";
        let facts = vec![
            date_fact(sentence, "Mexico ratified it", 2019),
            date_fact(sentence, "and Canada's parliament adopted it", 2020),
        ];
        let mut terms: Vec<FactTerms> = facts
            .iter()
            .map(|f| {
                let Fact::Date(d) = &f.fact else {
                    unreachable!("date facts only")
                };
                let mut a = text::analyzer();
                let mut ids: Vec<u32> = text::terms(&mut a, &d.event)
                    .iter()
                    .map(|t| {
                        if t.term.starts_with("parliament") {
                            7
                        } else {
                            1
                        }
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                FactTerms {
                    event: ids,
                    ..FactTerms::default()
                }
            })
            .collect();
        claim_other_events(&facts, &mut terms);
        assert_eq!(terms[0].others_events, vec![7]);
        assert!(terms[1].others_events.is_empty());
    }
}
