//! Dated events: a date with what its clause says happened, and the parties of the event
//! (`event_parties`: the event's own names, then its sentence's, then the document's main pair).

use super::cues::{EVENT_VERB, MEASURES};
use super::sentence::{clause_of, clause_range, is_dateline, Sentence};
use super::{DateFact, Doc, FactContext, Measure};
use crate::aliases::EntityMention;
use crate::extract::event_parties;
use crate::extract::Grain;
use crate::text;

pub(super) fn date_facts(sc: &Sentence, ctx: &FactContext, doc: &Doc) -> Vec<DateFact> {
    let mut out = Vec::new();
    let len = sc.text.len();
    for (i, d) in sc.dates.iter().enumerate() {
        if d.relative {
            continue;
        }
        if is_dateline(sc, d) {
            continue;
        }
        let clause = sc.clause_of(d.start);
        let (cs, ce) = sc.clause_range(clause);
        let clause_text = &sc.text[cs..ce];
        let happened = EVENT_VERB.is_in(clause_text);
        // A year is an event only in a clause that says something happened; a clause that
        // reports a trade figure for a date is a statistic, not an event.
        let statistic = sc.clause_has_money(clause)
            && MEASURES
                .iter()
                .any(|(m, cue)| *m != Measure::Other && cue.is_in(clause_text));
        if statistic
            || d.date.grain() == Grain::Year && !happened
            || sc.clause_has_money(clause) && !happened
        {
            continue;
        }
        let rel_start = sc.rel(d.start);
        let rel_end = sc.rel(d.end).min(len);
        let prev_end = if i > 0 {
            sc.rel(sc.dates[i - 1].end).min(rel_start)
        } else {
            0
        };
        let next_start = sc.dates.get(i + 1).map_or(len, |n| sc.rel(n.start));
        let Some(event) = event_text(
            sc.text, &sc.starts, prev_end, rel_start, rel_end, next_start,
        ) else {
            continue;
        };
        let event_terms = {
            let mut a = text::analyzer();
            text::terms(&mut a, &event)
        };
        let event_names = ctx.aliases.find(&event, &event_terms, false);
        let sentence_names: Vec<EntityMention> = sc
            .entities
            .iter()
            .map(|m| EntityMention {
                start: m.start.saturating_sub(sc.offset),
                end: m.end.saturating_sub(sc.offset),
                ..*m
            })
            .collect();
        let parties = event_parties::parties(&event_parties::Around {
            event: &event,
            event_names: &event_names,
            sentence: sc.text,
            sentence_names: &sentence_names,
            main_pair: &event_parties::main_pair(&doc.title_entities, &doc.passage_entities),
        });
        out.push(DateFact {
            date: d.date,
            text: d.text.clone(),
            start: d.start,
            end: d.end,
            event,
            parties: parties
                .iter()
                .map(|&id| ctx.aliases.entity(id).name.clone())
                .collect(),
            sentence: sc.text.to_string(),
        });
    }
    out
}

/// The words of the sentence that say what happened on a date: the clause before it
/// ("the Treaty ... , signed [on] DATE"), or after it when it opens the sentence
/// ("On DATE, the presidents signed ...").
fn event_text(
    sentence: &str,
    starts: &[usize],
    prev_end: usize,
    start: usize,
    end: usize,
    next_start: usize,
) -> Option<String> {
    let words = |s: &str| s.split_whitespace().count();
    let len = sentence.len();
    let ci = clause_of(starts, start);
    // Before the date: its clause, reaching back clause by clause until it says something
    // ("the Treaty ..., signed on DATE"), never past the previous date.
    let mut k = ci;
    let from = |k: usize| starts[k].max(prev_end).min(start);
    let stretch = |a: usize| -> String {
        let raw = &sentence[a..start];
        clean_event(raw.rfind([':', ';']).map_or(raw, |i| &raw[i + 1..]))
    };
    let mut before = stretch(from(k));
    // "а в декабре 2003 года — Договор о ...": a dash after the date introduces the event.
    let rest = sentence[end..].trim_start();
    if words(&before) < 3 && (rest.starts_with(['—', '–']) || rest.starts_with("- ")) {
        let from_next = end + (sentence[end..].len() - rest.len());
        let (_, next_end) = clause_range(
            starts,
            clause_of(
                starts,
                from_next + rest.chars().next().map_or(0, char::len_utf8),
            ),
            len,
        );
        let after = clean_event(&sentence[from_next..next_end.min(next_start).max(from_next)]);
        if words(&after) >= 2 {
            return Some(after);
        }
    }
    while words(&before) < 3 && k > 0 && starts[k] > prev_end {
        k -= 1;
        before = stretch(from(k));
    }
    // After the date, to the end of its clause.
    let (_, clause_end) = clause_range(starts, ci, len);
    let mut to = clause_end.min(next_start).max(end);
    let mut after_raw = sentence[end..to].trim();
    if words(&before) < 3 && words(after_raw) < 2 && to < next_start {
        // "On DATE, the presidents signed ...": the event is the next clause.
        let (_, next_end) = clause_range(starts, clause_of(starts, to), len);
        to = next_end.min(next_start).max(to);
        after_raw = sentence[end..to].trim();
    }
    let after_raw = after_raw.split([';', ':']).next().unwrap_or("");
    let after = clean_event(after_raw);
    const PREPOSITIONS: &[&str] = &[
        "in",
        "at",
        "by",
        "for",
        "during",
        "with",
        "near",
        "under",
        "and",
        "as",
        "after",
        "before",
        "в",
        "во",
        "на",
        "при",
        "и",
        "после",
        "до",
    ];
    let first_word = after_raw
        .trim_start_matches([',', ' ', '–', '—'])
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let event = if words(&before) >= 3 {
        // "a larger conflict in September 2022 left about 100 people dead": both halves.
        if words(&after) >= 2
            && !after_raw.trim_start().starts_with(',')
            && !PREPOSITIONS.contains(&first_word.as_str())
        {
            format!("{before} {after}")
        } else {
            before
        }
    } else if words(&after) >= 2 {
        if before.is_empty() {
            after
        } else {
            format!("{before} {after}")
        }
    } else {
        clean_event(sentence)
    };
    (words(&event) >= 2).then_some(event)
}

fn clean_event(s: &str) -> String {
    const EDGE: &[&str] = &[
        "on",
        "in",
        "of",
        "dated",
        "at",
        "from",
        "since",
        "as",
        "and",
        "also",
        "the",
        "by",
        "was",
        "were",
        "в",
        "от",
        "с",
        "и",
        "а",
        "также",
        "года",
        "году",
        "г",
        "г.",
        "was",
        "is",
    ];
    let mut words: Vec<&str> = s
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| {
                matches!(c, ',' | '.' | ';' | ':' | '—' | '–' | '-' | '(' | ')' | '"')
            })
        })
        .filter(|w| !w.is_empty())
        .collect();
    // Trim connectors at both ends, but keep a leading "The".
    while words
        .last()
        .is_some_and(|w| EDGE.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    while words
        .first()
        .is_some_and(|w| EDGE.contains(&w.to_lowercase().as_str()) && w.to_lowercase() != "the")
    {
        words.remove(0);
    }
    // Keep punctuation inside the event as written: rebuild from the original stretch.
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return String::new();
    };
    let a = s.find(first).unwrap_or(0);
    let b = s.rfind(last).map_or(s.len(), |i| i + last.len());
    if a >= b {
        return words.join(" ");
    }
    close_quotes(s[a..b].split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Closes a quotation the trimming cut in half: `opened the "Year of X` → `… "Year of X"`.
fn close_quotes(mut s: String) -> String {
    if s.matches('"').count() % 2 == 1 {
        s.push('"');
    }
    if s.matches('«').count() > s.matches('»').count() {
        s.push('»');
    }
    if s.matches('“').count() > s.matches('”').count() {
        s.push('”');
    }
    s
}
