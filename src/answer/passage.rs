//! Passage answers: the best passages for a free question, with the matched words marked.

use super::{Answer, AnswerKind, Context, SourceRef};
use crate::question::{Lang, Question};
use crate::search;

/// The passage answer, or `None` when nothing relevant was found.
pub(super) fn answer(ctx: &Context, q: &Question, offset: usize) -> Option<Answer> {
    let plan = search::plan(ctx.index, ctx.aliases, &q.text, &ctx.search);
    if plan.is_empty() {
        return None;
    }
    let hits = match search::run(ctx.index, &plan, &ctx.search, offset, ctx.results) {
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
    let mut a = Answer::new(q, AnswerKind::Passage);
    for h in &hits {
        let Some(info) = ctx.index.meta.documents.get(h.doc) else {
            continue;
        };
        let (snippet, highlights) = search::snippet(&h.text, &h.highlights, 320);
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
