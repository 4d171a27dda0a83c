//! Passage answers: the best passages for a free question, with the matched words marked.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{Answer, AnswerKind, Context, SourceRef};
use crate::question::{Lang, Question};
use crate::search;

/// The passage answer, or `None` when nothing relevant was found.
pub(super) fn answer(ctx: &Context, q: &Question, offset: usize) -> Option<Answer> {
    let plan = search::plan(ctx.index, ctx.aliases, &q.text, &ctx.search);
    if plan.is_empty() {
        return None;
    }
    // A passage that holds the kind of answer asked for ("how many" → a number) ranks up.
    let kind = expected_kind(&q.text);
    let prefer = kind.map(|re| move |text: &str| re.is_match(text));
    let prefer_dyn: Option<&dyn Fn(&str) -> bool> = prefer.as_ref().map(|f| f as _);
    let hits = match search::run(
        ctx.index,
        &plan,
        &ctx.search,
        offset,
        ctx.results,
        prefer_dyn,
    ) {
        Ok(h) => h,
        Err(e) => {
            log::error!("{e}");
            return None;
        }
    };
    let asked = plan.terms.len();
    let top = hits.first()?;
    // A long question whose best passage shares only a word or two with it found nothing.
    if asked >= 3 && top.covered * 3 < asked && offset == 0 {
        return None;
    }
    if offset == 0 && !carries_the_question(ctx, &plan, top) {
        return None;
    }
    let mut a = Answer::new(q, AnswerKind::Passage);
    for h in &hits {
        let Some(info) = ctx.index.meta.documents.get(h.doc) else {
            continue;
        };
        let shown = kind.and_then(|re| answer_near(re, &h.text, &h.highlights));
        let (snippet, highlights) = search::snippet_showing(&h.text, &h.highlights, shown, 320);
        a.sources.push(SourceRef {
            document: info.file.clone(),
            title: info.title.clone(),
            date: info.date.map(|d| d.to_string()),
            source: info.source.clone(),
            passage: h.position,
            snippet,
            text: h.text.clone(),
            highlights,
            doc_index: h.doc,
        });
    }
    let first = a.sources.first()?;
    let date = first
        .date
        .as_ref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    a.lines.push(match q.lang {
        Lang::En => format!(
            "From «{}»{date}, passage {}:",
            first.title,
            first.passage + 1
        ),
        Lang::Ru => format!(
            "Из «{}»{date}, фрагмент {}:",
            first.title,
            first.passage + 1
        ),
    });
    Some(a)
}

/// Whether the best passage carries something the question asks about besides the names
/// it mentions: one of the question's words that is not a name, found in the passage or
/// its title as itself, an alias or a synonym (not only as a guess at a typo). "population
/// of kyrgyzstan" is not answered by a passage that only names Kyrgyzstan, nor "president"
/// by a passage that says "provided". A question of names alone is answered by them.
fn carries_the_question(ctx: &Context, plan: &search::QueryPlan, top: &search::Hit) -> bool {
    let title = ctx
        .index
        .meta
        .documents
        .get(top.doc)
        .map_or("", |d| d.title.as_str());
    // One pass over the passage and its title for every word's sure variants at once.
    let sure: HashSet<String> = plan
        .terms
        .iter()
        .flat_map(|t| t.sure_variants())
        .map(String::from)
        .collect();
    let found: HashSet<String> = if sure.is_empty() {
        HashSet::new()
    } else {
        crate::text::terms_matching(&top.text, &sure)
            .into_iter()
            .chain(crate::text::terms_matching(title, &sure))
            .map(|t| t.term)
            .collect()
    };
    let mut analyzer = crate::text::analyzer();
    let mut is_name = |word: &str| {
        let terms = crate::text::terms(&mut analyzer, word);
        !ctx.aliases.find(word, &terms, true).is_empty() || ctx.aliases.fuzzy_entity(word).is_some()
    };
    let (carried, missing): (Vec<_>, Vec<_>) = plan
        .terms
        .iter()
        .partition(|t| t.sure_variants().any(|v| found.contains(v)));
    // Names are checked only where they decide: a carried word that is not a name settles
    // it; otherwise the passage carries only names, enough when the question asks only names.
    carried.iter().any(|t| !is_name(&t.word)) || missing.iter().all(|t| is_name(&t.word))
}

/// Where a passage holds the kind of answer asked for ("how many" → a number), nearest to
/// the words that matched (after them when equally near: the answer follows its subject).
fn answer_near(re: &Regex, text: &str, highlights: &[(usize, usize)]) -> Option<(usize, usize)> {
    let first = highlights.iter().map(|&(s, _)| s).min()?;
    let distance = |a: usize| {
        highlights
            .iter()
            .map(|&(s, e)| {
                if a >= e {
                    a - e
                } else {
                    s.saturating_sub(a) * 2
                }
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    re.find_iter(text)
        .map(|m| (m.start(), m.end()))
        .filter(|&(a, _)| a + 400 >= first)
        .min_by_key(|&(a, _)| distance(a))
}

/// What a "how long / how many / when" question's answer looks like in a passage.
fn expected_kind(question: &str) -> Option<&'static Regex> {
    static DISTANCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\d[\d,.\s]*\s?(?:km|kilomet\w*|miles?|км|километр\w*)")
            .expect("distance regex")
    });
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d").expect("number regex"));
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)(?:1[89]|20)\d\d(?-u:\b)").expect("year regex"));
    let l = question.to_lowercase();
    let has = |cues: &[&str]| cues.iter().any(|c| l.contains(c));
    if has(&[
        "how long",
        "how far",
        "length",
        "протяж",
        "длин",
        "какова граница",
    ]) {
        Some(&DISTANCE)
    } else if has(&["how many", "how much", "number of", "сколько", "количеств"]) {
        Some(&NUMBER)
    } else if has(&["when", "what year", "когда", "в каком году"]) {
        Some(&DATE)
    } else {
        None
    }
}

/// The next page of passages for a question ("More").
pub fn passages_page(ctx: &Context, q: &Question, offset: usize) -> Answer {
    answer(ctx, q, offset).unwrap_or_else(|| {
        let mut a = Answer::new(q, AnswerKind::None);
        a.lines.push(match q.lang {
            Lang::En => "No more passages.".into(),
            Lang::Ru => "Больше фрагментов нет.".into(),
        });
        a
    })
}
