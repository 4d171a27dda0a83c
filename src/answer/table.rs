//! The fact table prepared for answering: every fact's sentence and event as ids into one
//! vocabulary of stems, and the entities its sentence names. Built once when an index is
//! opened, so that answering never re-analyzes text and matching a question word is one
//! pass over the vocabulary, not over every fact.

use std::collections::HashMap;

use crate::aliases::{Aliases, EntityId};
use crate::extract::kinds::{kinds_of, Kinds};
use crate::extract::Fact;
use crate::index::IndexMeta;
use crate::question::EventWord;
use crate::text;

/// Stems of a fact, as ids into [`FactTable::vocab`].
#[derive(Debug, Default, Clone)]
pub struct FactTerms {
    pub sentence: Vec<u32>,
    pub event: Vec<u32>,
    /// The stems of the fact's document title.
    pub title: Vec<u32>,
    pub named: Vec<EntityId>,
    /// The kinds of event a date's event clause speaks of (empty for money).
    pub kinds: Kinds,
    /// The kinds of event its whole sentence speaks of.
    pub sentence_kinds: Kinds,
}

#[derive(Debug, Default)]
pub struct FactTable {
    pub vocab: Vec<String>,
    pub terms: Vec<FactTerms>,
}

impl FactTable {
    pub fn build(meta: &IndexMeta, aliases: &Aliases) -> FactTable {
        let facts = &meta.facts;
        let mut analyzer = text::analyzer();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut vocab: Vec<String> = Vec::new();
        let mut intern = |s: String, vocab: &mut Vec<String>| -> u32 {
            *ids.entry(s).or_insert_with_key(|k| {
                vocab.push(k.clone());
                (vocab.len() - 1) as u32
            })
        };
        // A title's stems, analysed once per document that has facts.
        let mut titles: HashMap<usize, Vec<u32>> = HashMap::new();
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
                    let toks = text::terms(&mut analyzer, sentence);
                    let named: Vec<EntityId> = aliases
                        .find(sentence, &toks, false)
                        .into_iter()
                        .map(|m| m.entity)
                        .collect();
                    let mut v: Vec<u32> = toks
                        .into_iter()
                        .map(|t| intern(t.term, &mut vocab))
                        .collect();
                    v.sort_unstable();
                    v.dedup();
                    let k = kinds_of(sentence);
                    last = Some((sentence.clone(), v.clone(), named.clone(), k));
                    (v, named, k)
                }
            };
            let event_ids = event.map_or_else(Vec::new, |e| {
                let mut v: Vec<u32> = text::terms(&mut analyzer, e)
                    .into_iter()
                    .map(|t| intern(t.term, &mut vocab))
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            });
            let title = titles
                .entry(sf.doc)
                .or_insert_with(|| {
                    let title = meta.documents.get(sf.doc).map_or("", |d| d.title.as_str());
                    let mut v: Vec<u32> = text::terms(&mut analyzer, title)
                        .into_iter()
                        .map(|t| intern(t.term, &mut vocab))
                        .collect();
                    v.sort_unstable();
                    v.dedup();
                    v
                })
                .clone();
            terms.push(FactTerms {
                sentence: sent_ids,
                event: event_ids,
                title,
                named,
                kinds: event.map_or_else(Kinds::default, |e| kinds_of(e)),
                sentence_kinds,
            });
        }
        FactTable { vocab, terms }
    }

    /// The vocabulary ids a question word matches: the same stem, an alias or synonym, a
    /// typo of it, or the same name in the other script.
    pub fn matches(&self, aliases: &Aliases, w: &EventWord) -> Vec<u32> {
        let budget = text::typo_budget(&w.word);
        let cyrillic = text::is_cyrillic(&w.stem);
        let latin = text::transliterate(&w.stem);
        let len = w.stem.chars().count();
        let mut out: Vec<u32> = self
            .vocab
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let slen = s.chars().count();
                **s == w.stem
                    || aliases.same_meaning(s, &w.stem)
                    || (len >= 5
                        && slen >= 5
                        && slen.abs_diff(len) <= budget
                        && text::edit_distance(s, &w.stem, budget) <= budget)
                    || (cyrillic != text::is_cyrillic(s)
                        && latin.chars().count() >= 5
                        && slen >= 4
                        && text::edit_distance(&text::transliterate(s), &latin, budget) <= budget)
            })
            .map(|(i, _)| i as u32)
            .collect();
        out.sort_unstable();
        out
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
