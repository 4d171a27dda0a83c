//! Date answers: when an event happened (at the grain the text gives), what happened in a
//! year or range, and the timeline of all events.
//!
//! "When was X" ranks every dated event against the question the way search ranks
//! passages: each question word weighs its rarity in the index (BM25's IDF) and counts
//! where the event has it (its clause most, then its sentence, then its document's title),
//! through the same stems, alias and synonym groups, typo repair and other-script matching
//! as search. The best event answers when it covers enough of the question's weight; close
//! runners-up are shown as other dates; below the bar the answer says there is no date and
//! offers the closest events. Years, countries and the kind of event asked (signing,
//! ratification, ...) are hard filters. Dates disagree only for the same kind of event
//! between the same parties.

use std::collections::{HashMap, HashSet};

use super::table::{intersects, FactTerms};
use super::{fact_json, Answer, AnswerKind, Context};
use crate::aliases::EntityId;
use crate::extract::kinds::{kinds_of, Kinds};
use crate::extract::{DateFact, Fact, Grain};
use crate::format;
use crate::index::StoredFact;
use crate::question::{Intent, Lang, Question};
use crate::text;

struct Dated<'a> {
    sf: &'a StoredFact,
    d: &'a DateFact,
    terms: &'a FactTerms,
}

fn all_dates<'a>(ctx: &'a Context) -> Vec<Dated<'a>> {
    ctx.stored_facts()
        .iter()
        .zip(&ctx.table.terms)
        .filter_map(|(sf, terms)| match &sf.fact {
            Fact::Date(d) => Some(Dated { sf, d, terms }),
            Fact::Money(_) => None,
        })
        .collect()
}

fn sort_key(d: &DateFact) -> (i32, u32, u32) {
    (
        d.date.year,
        d.date.month.unwrap_or(0),
        d.date.day.unwrap_or(0),
    )
}

/// Whether a date fact concerns every country asked about: its parties, every name in its
/// sentence and in its document's title count.
fn concerns(ctx: &Context, x: &Dated, countries: &[EntityId]) -> bool {
    countries.iter().all(|c| {
        x.terms.named.contains(c)
            || x.terms.title_named.contains(c)
            || x.d
                .parties
                .iter()
                .any(|p| ctx.aliases.by_name(p) == Some(*c))
    })
}

/// How much a question word counts where it is found: in the event's own clause, elsewhere
/// in its sentence, elsewhere in its passage, or only in its document's title.
const IN_EVENT: f32 = 1.0;
const IN_SENTENCE: f32 = 0.8;
const IN_PASSAGE: f32 = 0.5;
const IN_TITLE: f32 = 0.35;
/// The share of the question's informative weight the best event must cover to answer.
const ANSWER_BAR: f32 = 0.6;
/// Events scoring within this share of the best are as good: they are listed together.
const TIE: f32 = 0.97;
/// Events scoring within this share of the best (and above the bar) are other dates.
const RUNNER_UP: f32 = 0.85;
/// Another document's event within this share of the best, of the same kind between the
/// same parties, is the same event told with another date: the sources disagree.
const RETOLD: f32 = 0.7;
/// Events covering this share of the question are offered when none answers it.
const CLOSEST_BAR: f32 = 0.3;
/// How many of the best events also have their whole passage read for the words their
/// sentence lacks.
const PASSAGE_CHECK: usize = 30;

/// A question word as the event matcher weighs it.
struct Weighted {
    /// Fact-table ids it matches (same stem, synonym, alias, typo, other script).
    ids: Vec<u32>,
    /// The stems it matches, for reading a passage.
    stems: HashSet<String>,
    /// Its informative weight (inverse document frequency); 0 adds nothing.
    weight: f32,
}

/// The question as the event matcher weighs it: its words, and the kinds of event it asks
/// about with the weight of that request.
struct Weighing {
    words: Vec<Weighted>,
    kinds: Kinds,
    kind_weight: f32,
}

impl Weighing {
    fn total(&self) -> f32 {
        self.words.iter().map(|w| w.weight).sum::<f32>() + self.kind_weight
    }
}

/// The kinds of event a word stands for through a typo ("ratifecirovali"): those of the
/// index words it was repaired to, when the word itself names none.
fn repaired_kinds(ctx: &Context, ids: &[u32]) -> Kinds {
    ids.iter()
        .filter_map(|&i| ctx.table.vocab.get(i as usize))
        .map(|s| kinds_of(s))
        .fold(Kinds::default(), Kinds::union)
}

/// The question's event words with their weights, or `None` when one of them is a name the
/// documents never use (nothing can answer a question about it). A word no document
/// contains that is not a name is never required: it counts in the question's weight at
/// half the weight of its least informative known word, so it can only fail to add
/// evidence; a one- or two-letter one counts not at all. The words that name the kind of
/// event ("signed", "entered into force") are weighed as one request for that kind.
fn weigh(ctx: &Context, q: &Question) -> Option<Weighing> {
    let n = ctx.passages();
    let mut words: Vec<Weighted> = Vec::new();
    let mut unknown: Vec<usize> = Vec::new();
    let mut kinds = q.event_kinds;
    for w in &q.event_words {
        let ids = ctx.table.matches(ctx.aliases, w);
        if w.kind {
            continue;
        }
        let typo_kinds = repaired_kinds(ctx, &ids);
        if kinds_of(&w.word).is_empty() && !typo_kinds.is_empty() {
            kinds = kinds.union(typo_kinds);
            continue;
        }
        let own = ctx.doc_freq(&w.stem);
        let mut stems: HashSet<String> = ids
            .iter()
            .filter_map(|&i| ctx.table.vocab.get(i as usize).cloned())
            .collect();
        stems.insert(w.stem.clone());
        stems.extend(ctx.aliases.expansions(&w.stem));
        // A typo or a synonym weighs what the words it stands for weigh.
        let df = if own > 0 {
            own
        } else {
            stems.iter().map(|s| ctx.doc_freq(s)).max().unwrap_or(0)
        };
        if df == 0 {
            if w.name {
                return None;
            }
            if w.word.chars().count() > 2 {
                unknown.push(words.len());
            }
            words.push(Weighted {
                ids,
                stems,
                weight: 0.0,
            });
            continue;
        }
        words.push(Weighted {
            ids,
            stems,
            weight: super::idf(df, n),
        });
    }
    let known: Vec<f32> = words
        .iter()
        .map(|w| w.weight)
        .filter(|&w| w > 0.0)
        .collect();
    let least = known.iter().copied().min_by(f32::total_cmp).unwrap_or(1.0);
    let mean = if known.is_empty() {
        1.0
    } else {
        known.iter().sum::<f32>() / known.len() as f32
    };
    for i in unknown {
        words[i].weight = least / 2.0;
    }
    Some(Weighing {
        words,
        kinds,
        kind_weight: if kinds.is_empty() { 0.0 } else { mean },
    })
}

/// Where an event has a question word: its clause, its sentence (unless the word is in the
/// clause of another date of the sentence), its title (the passage is read separately, for
/// the best events only).
fn word_place(w: &Weighted, terms: &FactTerms) -> f32 {
    if intersects(&w.ids, &terms.event) {
        IN_EVENT
    } else if intersects(&w.ids, &terms.sentence) && !intersects(&w.ids, &terms.others_events) {
        IN_SENTENCE
    } else if intersects(&w.ids, &terms.title) {
        IN_TITLE
    } else {
        0.0
    }
}

/// The weight of the question a dated event covers, each word counted where it is found
/// best, and the kind of event asked for if the event's clause (or, less, its sentence) is
/// of that kind.
fn event_score(q: &Weighing, terms: &FactTerms) -> f32 {
    let words: f32 = q
        .words
        .iter()
        .filter(|w| w.weight > 0.0)
        .map(|w| w.weight * word_place(w, terms))
        .sum();
    let kind = if q.kinds.is_empty() {
        0.0
    } else if terms.kinds.overlaps(q.kinds) {
        IN_EVENT
    } else if terms.sentence_kinds.overlaps(q.kinds) {
        IN_SENTENCE
    } else {
        0.0
    };
    words + kind * q.kind_weight
}

/// What the words of an event's passage add: the question words its clause, sentence and
/// title lack but its passage has.
fn passage_score(q: &Weighing, terms: &FactTerms, passage: &HashSet<String>) -> f32 {
    q.words
        .iter()
        .filter(|w| w.weight > 0.0 && word_place(w, terms) < IN_PASSAGE)
        .filter(|w| w.stems.iter().any(|s| passage.contains(s)))
        .map(|w| w.weight * (IN_PASSAGE - word_place(w, terms)))
        .sum()
}

/// Whether an event is of a kind the question allows: a question that names a kind
/// ("ratify") never gets an event of another kind (a signing); an event whose clause names
/// no kind may still be it.
fn kind_fits(asked: Kinds, x: &Dated) -> bool {
    asked.is_empty() || x.terms.kinds.is_empty() || x.terms.kinds.overlaps(asked)
}

/// Whether a question asks for the events of a year ("what happened in 1997", "what was
/// signed in 2003") rather than the date of one: it names years and no event words beyond
/// kinds of event.
fn asks_for_a_list(q: &Question) -> bool {
    q.intent == Intent::Timeline
        || q.event_words.is_empty()
        || !q.years.is_empty() && q.event_words.iter().all(|w| w.kind)
}

/// A dated event as it matches a question.
#[derive(Clone, Copy)]
struct Match<'a> {
    /// The share of the question's weight it covers.
    cover: f32,
    /// Which question words (by position, up to 64) it has anywhere: its clause, sentence,
    /// passage or title.
    found: u64,
    x: &'a Dated<'a>,
}

/// The question words an event has in its clause, sentence or title, as bits.
fn found_in_fact(q: &Weighing, terms: &FactTerms) -> u64 {
    q.words
        .iter()
        .enumerate()
        .take(64)
        .filter(|(_, w)| w.weight > 0.0 && word_place(w, terms) > 0.0)
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// The question words a passage has, as bits.
fn found_in_passage(q: &Weighing, passage: &HashSet<String>) -> u64 {
    q.words
        .iter()
        .enumerate()
        .take(64)
        .filter(|(_, w)| w.weight > 0.0 && w.stems.iter().any(|s| passage.contains(s)))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// Dated events ranked against the question, best first; `None` when the question names
/// something the documents never do.
fn ranked<'a>(ctx: &Context, q: &Question, dates: &'a [Dated<'a>]) -> Option<Vec<Match<'a>>> {
    let weighing = weigh(ctx, q)?;
    let total = weighing.total();
    if total <= 0.0 {
        return Some(Vec::new());
    }
    let mut scored: Vec<Match> = dates
        .iter()
        .filter(|x| in_years(q, x.d) && concerns(ctx, x, &q.countries))
        .filter(|x| kind_fits(weighing.kinds, x))
        .map(|x| Match {
            cover: event_score(&weighing, x.terms),
            found: found_in_fact(&weighing, x.terms),
            x,
        })
        .collect();
    scored.sort_by(|a, b| b.cover.total_cmp(&a.cover));
    // The best few also count the words of their passage.
    let mut passages: HashMap<(usize, usize), HashSet<String>> = HashMap::new();
    let mut analyzer = text::analyzer();
    for m in scored.iter_mut().take(PASSAGE_CHECK) {
        let x = m.x;
        let stems = passages.entry((x.sf.doc, x.sf.passage)).or_insert_with(|| {
            ctx.index
                .passage(x.sf.doc, x.sf.passage)
                .map(|p| {
                    text::terms(&mut analyzer, &p.text)
                        .into_iter()
                        .map(|t| t.term)
                        .collect()
                })
                .unwrap_or_default()
        });
        m.cover += passage_score(&weighing, x.terms, stems);
        m.found |= found_in_passage(&weighing, stems);
    }
    let mut scored: Vec<Match> = scored
        .into_iter()
        .map(|m| Match {
            cover: m.cover / total,
            ..m
        })
        .filter(|m| m.cover > 0.0)
        .collect();
    // Of equal matches the finer date, then the document order.
    scored.sort_by(|a, b| {
        b.cover
            .total_cmp(&a.cover)
            .then(grain_rank(b.x.d).cmp(&grain_rank(a.x.d)))
            .then((a.x.sf.doc, a.x.d.start).cmp(&(b.x.sf.doc, b.x.d.start)))
    });
    Some(scored)
}

fn grain_rank(d: &DateFact) -> u8 {
    match d.date.grain() {
        Grain::Day => 2,
        Grain::Month => 1,
        Grain::Year => 0,
    }
}

fn in_years(q: &Question, d: &DateFact) -> bool {
    match (q.range, q.years.as_slice()) {
        (Some((a, b)), _) => d.date.year >= a && d.date.year <= b,
        (None, []) => true,
        (None, ys) => ys.contains(&d.date.year),
    }
}

/// The same event as told by one document (same date, same words): shown once.
fn same_event(a: &Dated, b: &Dated) -> bool {
    a.d.date == b.d.date && a.d.event.to_lowercase() == b.d.event.to_lowercase()
}

pub(super) fn answer(ctx: &Context, q: &Question) -> Option<Answer> {
    let dates = all_dates(ctx);
    if dates.is_empty() {
        return None;
    }
    if asks_for_a_list(q) {
        return year_list(ctx, q, &dates);
    }
    // "When was X": the events ranked against the question.
    let scored = ranked(ctx, q, &dates)?;
    let leader = *scored.first()?;
    let top = leader.cover;
    if top < ANSWER_BAR {
        return None;
    }
    let mut best: Vec<&Dated> = Vec::new();
    let mut others: Vec<&Dated> = Vec::new();
    for m in &scored {
        let (c, x) = (m.cover, m.x);
        if c >= top * TIE || c >= top * RETOLD && c >= ANSWER_BAR && retold(&leader, m) {
            best.push(x);
        } else if c >= top * RUNNER_UP
            && c >= ANSWER_BAR
            && others.len() < 3
            && !best.iter().chain(&others).any(|b| same_event(b, x))
        {
            others.push(x);
        }
    }
    best.sort_by_key(|x| (x.sf.doc, x.d.start));
    Some(when(ctx, q, &best, &others))
}

/// The timeline, or "what happened in 1997" / "what was signed in 2003": every event of
/// those years (of the kind asked, matching any other word given), in date order.
fn year_list(ctx: &Context, q: &Question, dates: &[Dated]) -> Option<Answer> {
    if q.intent != Intent::Timeline && q.years.is_empty() {
        return None;
    }
    let word_ids: Vec<Vec<u32>> = q
        .event_words
        .iter()
        .filter(|w| !w.kind)
        .map(|w| ctx.table.matches(ctx.aliases, w))
        .collect();
    let mut chosen: Vec<&Dated> = dates
        .iter()
        .filter(|x| in_years(q, x.d) && concerns(ctx, x, &q.countries))
        .filter(|x| q.event_kinds.is_empty() || x.terms.kinds.overlaps(q.event_kinds))
        .filter(|x| {
            word_ids.is_empty()
                || word_ids
                    .iter()
                    .any(|ids| intersects(ids, &x.terms.sentence))
        })
        .collect();
    chosen.sort_by_key(|x| (sort_key(x.d), x.sf.doc, x.d.start));
    chosen.dedup_by(|a, b| same_event(a, b));
    if chosen.is_empty() {
        return None;
    }
    Some(list(ctx, q, &chosen))
}

/// The events closest to a question no event answers, for the "no date" answer.
fn closest<'a>(ctx: &Context, q: &Question, dates: &'a [Dated<'a>]) -> Vec<&'a Dated<'a>> {
    let Some(scored) = ranked(ctx, q, dates) else {
        return Vec::new();
    };
    let mut out: Vec<&Dated> = Vec::new();
    for Match { cover: c, x, .. } in scored {
        if c < CLOSEST_BAR || out.len() == 3 {
            break;
        }
        if !out.iter().any(|o| same_event(o, x)) {
            out.push(x);
        }
    }
    out
}

fn when(ctx: &Context, q: &Question, best: &[&Dated], others: &[&Dated]) -> Answer {
    let lang = q.lang;
    let mut a = Answer::new(q, AnswerKind::Date);
    let first = best[0];
    // Events of other parties are other events, not a disagreement: each date is named
    // with its parties when the best events concern more than one pair.
    let pairs = distinct_parties(best);
    let mut distinct: Vec<String> = Vec::new();
    for x in best {
        let mut s = format::date(&x.d.date, lang);
        if pairs > 1 {
            s = format!("{s} ({})", parties_label(ctx, x.d, lang));
        }
        if !distinct.contains(&s) {
            distinct.push(s);
        }
    }
    let disagree = disagreement(best);
    a.headline = Some(if disagree {
        a.disagreement = true;
        match lang {
            Lang::En => format!("{} — the sources disagree", distinct.join(" or ")),
            Lang::Ru => format!("{} — источники расходятся", distinct.join(" или ")),
        }
    } else {
        distinct.join("; ")
    });
    for x in best.iter().take(5) {
        a.lines.push(event_line(ctx, x.d, lang));
        a.facts.push(fact_json(x.sf, ctx.index));
        ctx.add_source(&mut a, x.sf);
    }
    if !others.is_empty() {
        a.lines.push(match lang {
            Lang::En => "Other dates the documents give:".to_string(),
            Lang::Ru => "Другие даты в документах:".to_string(),
        });
        for x in others {
            a.lines.push(event_line(ctx, x.d, lang));
            a.facts.push(fact_json(x.sf, ctx.index));
        }
    }
    a.citations.extend(ctx.citation(first.sf));
    a
}

/// Whether `m` is the leader's event as another document tells it with another date: the
/// same kind of event (both name one) between the same parties, with every question word
/// the leader has somewhere around it.
fn retold(leader: &Match, m: &Match) -> bool {
    let (a, x) = (leader.x, m.x);
    x.sf.doc != a.sf.doc
        && x.d.date != a.d.date
        && party_key(x.d) == party_key(a.d)
        && x.terms.kinds.overlaps(a.terms.kinds)
        && m.found & leader.found == leader.found
}

/// A date fact's parties, sorted, as a key.
fn party_key(d: &DateFact) -> Vec<String> {
    let mut p = d.parties.clone();
    p.sort();
    p
}

fn distinct_parties(events: &[&Dated]) -> usize {
    let mut keys: Vec<Vec<String>> = events.iter().map(|x| party_key(x.d)).collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

/// Sources disagree when they give different dates for the same kind of event between the
/// same parties, in different documents.
fn disagreement(events: &[&Dated]) -> bool {
    events.iter().enumerate().any(|(i, a)| {
        events[i + 1..].iter().any(|b| {
            a.sf.doc != b.sf.doc
                && a.d.date != b.d.date
                && party_key(a.d) == party_key(b.d)
                && (a.terms.kinds == b.terms.kinds || a.terms.kinds.overlaps(b.terms.kinds))
        })
    })
}

/// "Kazakhstan–Kyrgyzstan", in the answer's language.
fn parties_label(ctx: &Context, d: &DateFact, lang: Lang) -> String {
    d.parties
        .iter()
        .map(|p| ctx.party(p, lang))
        .collect::<Vec<_>>()
        .join("–")
}

/// "April 8, 1997 — The Treaty of Eternal Friendship, signed." When the event's words do not
/// name all its parties ("The two presidents signed ...", "The Argentine Congress ratified
/// the treaty"), the parties follow in brackets.
fn event_line(ctx: &Context, d: &DateFact, lang: Lang) -> String {
    let mut line = format!(
        "{} — {}",
        format::date(&d.date, lang),
        format::capitalize(&d.event)
    );
    if !d.parties.is_empty() && !names_every_party(ctx, d) {
        line.push_str(&format!(" ({})", parties_label(ctx, d, lang)));
    }
    line.push('.');
    line
}

/// Whether the event's own words name every one of its parties.
fn names_every_party(ctx: &Context, d: &DateFact) -> bool {
    let mut analyzer = text::analyzer();
    let terms = text::terms(&mut analyzer, &d.event);
    let named = ctx.aliases.find(&d.event, &terms, false);
    d.parties.iter().all(|p| {
        ctx.aliases
            .by_name(p)
            .is_some_and(|id| named.iter().any(|m| m.entity == id))
    })
}

fn list(ctx: &Context, q: &Question, chosen: &[&Dated]) -> Answer {
    let lang = q.lang;
    let mut a = Answer::new(q, AnswerKind::Date);
    let heading = match (q.intent, q.range, q.years.first(), lang) {
        (Intent::Timeline, _, _, Lang::En) => "Timeline".to_string(),
        (Intent::Timeline, _, _, Lang::Ru) => "Хронология".to_string(),
        (_, Some((x, y)), _, Lang::En) => format!("Events of {x}–{y}"),
        (_, Some((x, y)), _, Lang::Ru) => format!("События {x}–{y} гг."),
        (_, None, Some(y), Lang::En) => format!("Events of {y}"),
        (_, None, Some(y), Lang::Ru) => format!("События {y} года"),
        (_, None, None, Lang::En) => "Events".to_string(),
        (_, None, None, Lang::Ru) => "События".to_string(),
    };
    a.headline = Some(if chosen.len() == 1 {
        format::date(&chosen[0].d.date, lang)
    } else {
        heading
    });
    for x in chosen.iter().take(50) {
        a.lines.push(event_line(ctx, x.d, lang));
        a.facts.push(fact_json(x.sf, ctx.index));
        if a.sources.len() < 10 {
            ctx.add_source(&mut a, x.sf);
        }
    }
    if chosen.len() > 50 {
        a.lines.push(match lang {
            Lang::En => format!("… and {} more.", chosen.len() - 50),
            Lang::Ru => format!("… и ещё {}.", chosen.len() - 50),
        });
    }
    a
}

/// No date fits: say so, offer the events that come closest, and the timeline.
pub(super) fn nothing(ctx: &Context, q: &Question) -> Answer {
    let words: Vec<String> = q.event_words.iter().map(|w| w.word.clone()).collect();
    let line = match (q.lang, words.is_empty()) {
        (Lang::En, false) => format!(
            "I found no date for “{}” in the documents.",
            words.join(" ")
        ),
        (Lang::En, true) => {
            "I found no dated event that fits this question in the documents.".to_string()
        }
        (Lang::Ru, false) => format!("В документах нет даты для «{}».", words.join(" ")),
        (Lang::Ru, true) => "В документах нет подходящих датированных событий.".to_string(),
    };
    let mut a = super::nothing(ctx, q, Some(line));
    let dates = all_dates(ctx);
    let near = if words.is_empty() {
        Vec::new()
    } else {
        closest(ctx, q, &dates)
    };
    if !near.is_empty() {
        a.lines.push(match q.lang {
            Lang::En => "The closest dated events in the documents:".to_string(),
            Lang::Ru => "Ближайшие по смыслу события в документах:".to_string(),
        });
        for x in near {
            a.lines.push(event_line(ctx, x.d, q.lang));
        }
    }
    a
}
