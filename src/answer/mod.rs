//! Answers: the typed result of a question (kind, the figure or date, context lines,
//! facts, sources) and the logic that builds it from the index and the fact table.
//! Rendering to plain text, JSON or Telegram HTML is done elsewhere ([`crate::render`]).

mod dates;
mod passage;
pub mod table;
mod trade;

use serde::Serialize;
use serde_json::{json, Value};

use crate::aliases::Aliases;
use crate::extract::{Fact, Grain};
use crate::format;
use crate::index::{Index, StoredFact};
use crate::question::{Intent, Lang, Question};
use crate::search::{self, SearchOptions};

pub use passage::passages_page;

/// What kind of answer this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    Passage,
    Trade,
    Date,
    None,
}

/// A passage an answer rests on.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceRef {
    /// File name of the document.
    pub document: String,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    /// Passage position in the document, from 0; shown to people from 1, as everywhere
    /// (text, JSON, `facts`).
    #[serde(serialize_with = "serialize_for_people")]
    pub passage: usize,
    /// The part of the passage worth showing.
    pub snippet: String,
    /// The whole passage.
    pub text: String,
    /// Byte ranges of matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Index of the document in the index (for buttons).
    #[serde(skip)]
    pub doc_index: usize,
}

/// A passage position as people count: the first passage of a document is passage 1.
pub fn for_people(position: usize) -> usize {
    position + 1
}

fn serialize_for_people<S: serde::Serializer>(position: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(for_people(*position) as u64)
}

/// A document an answer names as its source: "Source: «Title», 2024-04-17". Renderers
/// decide where it goes (a line in plain text, the source block in Telegram HTML).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Citation {
    pub title: String,
    pub date: Option<String>,
    /// The document's link, when it gives one.
    pub source: Option<String>,
}

impl Citation {
    /// "Source: «Title», 2024-04-17" / "Источник: «…»".
    pub fn line(&self, lang: Lang) -> String {
        let date = self
            .date
            .as_ref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        format!("{}: «{}»{date}", format::source_word(lang), self.title)
    }
}

/// A point of a trade series.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SeriesPoint {
    pub year: i32,
    pub amount: f64,
    pub currency: Option<String>,
}

/// The answer to one question.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub kind: AnswerKind,
    pub lang: Lang,
    /// The figure or date itself (bold in Telegram); `None` for passage answers.
    pub headline: Option<String>,
    /// Context, in reading order.
    pub lines: Vec<String>,
    /// The documents the answer as a whole rests on, after the context lines.
    pub citations: Vec<Citation>,
    /// The facts: the first is the answer, later ones support it.
    pub facts: Vec<Value>,
    pub sources: Vec<SourceRef>,
    /// What the documents can answer, offered when nothing fit.
    pub suggestions: Vec<String>,
    /// Yearly figures, when the answer is a series (for a chart).
    pub series: Vec<SeriesPoint>,
    /// Sources give different figures or dates for the same thing.
    pub disagreement: bool,
}

impl Answer {
    fn new(q: &Question, kind: AnswerKind) -> Self {
        Answer {
            question: q.raw.clone(),
            kind,
            lang: q.lang,
            headline: None,
            lines: Vec::new(),
            citations: Vec::new(),
            facts: Vec::new(),
            sources: Vec::new(),
            suggestions: Vec::new(),
            series: Vec::new(),
            disagreement: false,
        }
    }

    /// The answer as a person reads it, in plain text.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(h) = &self.headline {
            parts.push(h.clone());
        }
        parts.extend(self.lines.iter().cloned());
        parts.extend(self.citations.iter().map(|c| c.line(self.lang)));
        if self.kind == AnswerKind::Passage {
            if let Some(s) = self.sources.first() {
                parts.push(s.snippet.clone());
            }
        }
        parts.extend(self.suggestions_line());
        parts.join("\n")
    }

    /// "You can ask: trade 2023 · /timeline", when there are suggestions.
    pub fn suggestions_line(&self) -> Option<String> {
        (!self.suggestions.is_empty()).then(|| {
            format!(
                "{} {}",
                format::suggestions_intro(self.lang),
                self.suggestions.join(" · ")
            )
        })
    }

    /// The `ask --json` shape: `question`, `kind`, `text`, `facts`, `sources` (stable), and
    /// more fields that may be added to.
    pub fn to_json(&self) -> Value {
        json!({
            "question": self.question,
            "kind": self.kind,
            "text": self.text(),
            "facts": self.facts,
            "sources": self.sources,
            "lang": self.lang,
            "headline": self.headline,
            "lines": self.lines,
            "citations": self.citations,
            "series": self.series,
            "disagreement": self.disagreement,
            "suggestions": self.suggestions,
        })
    }
}

/// What the answer builders need: the index, the aliases, search options.
pub struct Context<'a> {
    pub index: &'a Index,
    pub table: &'a table::FactTable,
    pub aliases: &'a Aliases,
    pub search: SearchOptions,
    pub results: usize,
}

impl Context<'_> {
    fn stored_facts(&self) -> &[StoredFact] {
        &self.index.meta.facts
    }

    /// A source reference for a passage, with `highlight` (a byte range of the passage,
    /// such as the figure) marked and the snippet centred on it.
    fn source_for(
        &self,
        doc: usize,
        passage: usize,
        highlight: Option<(usize, usize)>,
    ) -> Option<SourceRef> {
        let info = self.index.meta.documents.get(doc)?;
        let stored = self.index.passage(doc, passage)?;
        let hl: Vec<(usize, usize)> = highlight
            .filter(|&(a, b)| {
                b <= stored.text.len()
                    && stored.text.is_char_boundary(a)
                    && stored.text.is_char_boundary(b)
            })
            .into_iter()
            .collect();
        let (snippet, highlights) = search::snippet(&stored.text, &hl, 320);
        Some(SourceRef {
            document: info.file.clone(),
            title: info.title.clone(),
            date: info.date.map(|d| d.to_string()),
            source: info.source.clone(),
            passage,
            snippet,
            text: stored.text,
            highlights,
            doc_index: doc,
        })
    }

    /// Adds the source of a fact unless it is already listed.
    fn add_source(&self, answer: &mut Answer, sf: &StoredFact) {
        if answer
            .sources
            .iter()
            .any(|s| s.doc_index == sf.doc && s.passage == sf.passage)
        {
            return;
        }
        let range = match &sf.fact {
            Fact::Money(m) => (m.start, m.end),
            Fact::Date(d) => (d.start, d.end),
        };
        if let Some(s) = self.source_for(sf.doc, sf.passage, Some(range)) {
            answer.sources.push(s);
        }
    }

    /// The document a fact comes from, as a citation.
    fn citation(&self, sf: &StoredFact) -> Option<Citation> {
        let info = self.index.meta.documents.get(sf.doc)?;
        Some(Citation {
            title: info.title.clone(),
            date: info.date.map(|d| d.to_string()),
            source: info.source.clone(),
        })
    }

    /// "Source: «Title», 2024-04-17": how a line names a fact's source.
    fn cite(&self, sf: &StoredFact, lang: Lang) -> String {
        self.citation(sf).map(|c| c.line(lang)).unwrap_or_default()
    }

    /// A party's name in the answer's language.
    fn party(&self, name: &str, lang: Lang) -> String {
        match (lang, self.aliases.by_name(name)) {
            (Lang::Ru, Some(id)) => self.aliases.entity(id).ru.clone(),
            _ => name.to_string(),
        }
    }

    /// How many passages hold a word (stem).
    fn doc_freq(&self, stem: &str) -> u64 {
        let searcher = self.index.reader.searcher();
        let term = tantivy::Term::from_field_text(self.index.fields.text, stem);
        searcher.doc_freq(&term).unwrap_or(0)
    }

    /// How many passages the index holds.
    fn passages(&self) -> u64 {
        self.index.passages()
    }
}

/// BM25's inverse document frequency of a word found in `df` of `n` passages.
fn idf(df: u64, n: u64) -> f32 {
    let (df, n) = (df as f32, n.max(1) as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The JSON of a stored fact, in the `facts` shape of `ask --json`.
pub fn fact_json(sf: &StoredFact, index: &Index) -> Value {
    let doc = index.meta.documents.get(sf.doc);
    let document = doc.map(|d| d.file.clone());
    let title = doc.map(|d| d.title.clone());
    match &sf.fact {
        Fact::Money(m) => json!({
            "type": "money",
            "amount": m.amount,
            "currency": m.currency,
            "text": m.text,
            "year": m.year,
            "period": m.period.as_ref().map(|p| format::period(p, Lang::En)),
            "measure": m.measure,
            "modality": m.modality,
            "scope": m.scope,
            "parties": m.parties,
            "percent": m.percent,
            "percent_computed": m.percent_computed,
            "whole": m.whole,
            "sentence": m.sentence,
            "document": document,
            "title": title,
            "passage": for_people(sf.passage),
        }),
        Fact::Date(d) => json!({
            "type": "date",
            "date": d.date,
            "grain": d.date.grain(),
            "event": d.event,
            "text": d.text,
            "parties": d.parties,
            "sentence": d.sentence,
            "document": document,
            "title": title,
            "passage": for_people(sf.passage),
        }),
    }
}

/// Answers a question.
pub fn answer(ctx: &Context, q: &Question) -> Answer {
    // "/timeline" and "/trade" need no words; a blank free question gets a hint.
    if q.is_blank() && q.intent == Intent::Passage {
        return nothing(ctx, q, None);
    }
    let structured = match q.intent {
        Intent::Trade => trade::answer(ctx, q),
        Intent::Date | Intent::Timeline => dates::answer(ctx, q),
        Intent::Passage => None,
    };
    if let Some(a) = structured {
        return a;
    }
    match q.intent {
        // A trade or date question that no fact fits: say so, and say what is covered.
        Intent::Trade => trade::nothing(ctx, q),
        Intent::Date | Intent::Timeline => dates::nothing(ctx, q),
        Intent::Passage => passage::answer(ctx, q, 0).unwrap_or_else(|| nothing(ctx, q, None)),
    }
}

/// "Nothing fits" with what the documents do cover.
fn nothing(ctx: &Context, q: &Question, reason: Option<String>) -> Answer {
    let mut a = Answer::new(q, AnswerKind::None);
    let line = reason.unwrap_or_else(|| match (q.lang, q.is_blank()) {
        (Lang::Ru, true) => "Задайте вопрос словами: о товарообороте, о датах событий или о чём угодно из документов.".into(),
        (Lang::En, true) => "Ask a question in words: about trade figures, dates of events, or anything in the documents.".into(),
        (Lang::Ru, false) => format!("В документах нет ничего о «{}».", format::excerpt(&q.text)),
        (Lang::En, false) => format!("Nothing in the documents matches “{}”.", format::excerpt(&q.text)),
    });
    a.lines.push(line);
    a.suggestions = suggestions(ctx, q.lang);
    a
}

/// A few questions the documents can answer: trade years, events.
pub fn suggestions(ctx: &Context, lang: Lang) -> Vec<String> {
    let years = actual_years(ctx, |m| m == crate::extract::Measure::Turnover);
    let mut out = Vec::new();
    if let Some(y) = years.last() {
        out.push(if lang == Lang::Ru {
            format!("товарооборот в {y} году")
        } else {
            format!("trade {y}")
        });
    }
    if years.len() >= 2 {
        out.push(format!("/trade {}-{}", years[0], years[years.len() - 1]));
    }
    let has_events = ctx
        .stored_facts()
        .iter()
        .any(|f| matches!(&f.fact, Fact::Date(d) if d.date.grain() != Grain::Year));
    if has_events {
        out.push("/timeline".into());
    }
    out
}

/// Years that have actual trade figures, for "the documents cover ..." notes.
fn trade_years(ctx: &Context) -> Vec<i32> {
    actual_years(ctx, |m| m != crate::extract::Measure::Other)
}

/// Years of actual (not hedged) money facts whose measure passes `keep`, sorted.
fn actual_years(ctx: &Context, keep: impl Fn(crate::extract::Measure) -> bool) -> Vec<i32> {
    let mut years: Vec<i32> = ctx
        .stored_facts()
        .iter()
        .filter_map(|f| match &f.fact {
            Fact::Money(m) if m.modality == crate::extract::Modality::Actual && keep(m.measure) => {
                m.year
            }
            Fact::Money(_) | Fact::Date(_) => None,
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}
