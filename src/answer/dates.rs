//! Date answers: when an event happened (at the grain the text gives), what happened in a
//! year or range, and the timeline of all events.

use super::table::{intersects, FactTerms};
use super::{fact_json, Answer, AnswerKind, Context};
use crate::aliases::EntityId;
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

/// Whether a date fact concerns every country asked about: its parties and every name in
/// its sentence count.
fn concerns(ctx: &Context, x: &Dated, countries: &[EntityId]) -> bool {
    countries.iter().all(|c| {
        x.terms.named.contains(c)
            || x.d
                .parties
                .iter()
                .any(|p| ctx.aliases.by_name(p) == Some(*c))
    })
}

pub(super) fn answer(ctx: &Context, q: &Question) -> Option<Answer> {
    let dates = all_dates(ctx);
    if dates.is_empty() {
        return None;
    }
    let word_ids: Vec<Vec<u32>> = q
        .event_words
        .iter()
        .map(|w| ctx.table.matches(ctx.aliases, w))
        .collect();
    let in_years = |d: &DateFact| match (q.range, q.years.as_slice()) {
        (Some((a, b)), _) => d.date.year >= a && d.date.year <= b,
        (None, []) => true,
        (None, ys) => ys.contains(&d.date.year),
    };
    if q.intent == Intent::Timeline || q.event_words.is_empty() {
        // The timeline, or "what happened in 1997": every event (of those years, matching
        // any word given), in date order.
        let mut chosen: Vec<&Dated> = dates
            .iter()
            .filter(|x| in_years(x.d) && concerns(ctx, x, &q.countries))
            .filter(|x| {
                word_ids.is_empty()
                    || word_ids
                        .iter()
                        .any(|ids| intersects(ids, &x.terms.sentence))
            })
            .collect();
        if q.intent != Intent::Timeline && q.years.is_empty() {
            return None;
        }
        chosen.sort_by_key(|x| (sort_key(x.d), x.sf.doc, x.d.start));
        chosen.dedup_by(|a, b| {
            a.d.date == b.d.date && a.d.event.to_lowercase() == b.d.event.to_lowercase()
        });
        if chosen.is_empty() {
            return None;
        }
        return Some(list(ctx, q, &chosen));
    }
    // "When was X": the facts whose sentence covers every word of the question.
    let mut scored: Vec<(i32, &Dated)> = Vec::new();
    for x in dates
        .iter()
        .filter(|x| in_years(x.d) && concerns(ctx, x, &q.countries))
    {
        let mut score = 0;
        let mut missing = Vec::new();
        for (w, ids) in q.event_words.iter().zip(&word_ids) {
            if intersects(ids, &x.terms.event) {
                score += 2;
            } else if intersects(ids, &x.terms.sentence) {
                score += 1;
            } else {
                missing.push(w);
            }
        }
        // One unmatched word is forgiven if the documents know it elsewhere (a paraphrase)
        // in a long question, or if it is a Russian word asked of an English text whose
        // other words matched; a name the documents never use is never forgiven.
        let matched = q.event_words.len() - missing.len();
        let forgiven = missing.len() == 1
            && (q.event_words.len() >= 4 && ctx.known(&missing[0].stem)
                || matched >= 2
                    && text::is_cyrillic(&missing[0].stem)
                    && !text::is_cyrillic(&x.d.sentence));
        if !missing.is_empty() && !forgiven {
            continue;
        }
        let grain = match x.d.date.grain() {
            Grain::Day => 2,
            Grain::Month => 1,
            Grain::Year => 0,
        };
        scored.push((score * 3 + grain, x));
    }
    let best_score = scored.iter().map(|(s, _)| *s).max()?;
    let mut best: Vec<&Dated> = scored
        .iter()
        .filter(|(s, _)| *s == best_score)
        .map(|(_, x)| *x)
        .collect();
    best.sort_by_key(|x| (x.sf.doc, x.d.start));
    Some(when(ctx, q, &best))
}

fn when(ctx: &Context, q: &Question, best: &[&Dated]) -> Answer {
    let lang = q.lang;
    let mut a = Answer::new(q, AnswerKind::Date);
    let first = best[0];
    let mut distinct: Vec<String> = Vec::new();
    for x in best {
        let s = format::date(&x.d.date, lang);
        if !distinct.contains(&s) {
            distinct.push(s);
        }
    }
    // Same event, other dates in other documents: the sources disagree.
    let disagree = distinct.len() > 1 && best.iter().any(|x| x.sf.doc != first.sf.doc);
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
        a.lines.push(event_line(x.d, lang));
        a.facts.push(fact_json(x.sf, ctx.index));
        ctx.add_source(&mut a, x.sf);
    }
    a.citations.extend(ctx.citation(first.sf));
    a
}

/// "April 8, 1997 — The Treaty of Eternal Friendship, signed."
fn event_line(d: &DateFact, lang: Lang) -> String {
    format!(
        "{} — {}.",
        format::date(&d.date, lang),
        format::capitalize(&d.event)
    )
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
        a.lines.push(event_line(x.d, lang));
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

/// No date fits: say so; offer the timeline.
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
    super::nothing(ctx, q, Some(line))
}
