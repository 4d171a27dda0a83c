//! Facts: money figures with their year or period, what they measure (turnover, export,
//! import, investment) and which part of trade, whether they are actual or a
//! target/forecast/potential, the parties they concern and any share they state; and dates
//! with the event their clause describes. Built sentence by sentence from the mentions of one
//! passage.
//!
//! Each sentence is read once into a [`sentence::Sentence`] (clauses, mentions, names, cue
//! hits). Each attribute of a figure is then decided by its own resolver, an ordered list of
//! named rules (`when`, `measure`, `modality`, `parties`, `share`); the first rule that
//! applies decides, and [`extract_explained`] says which one did. Dated events are in
//! `events`.
//!
//! Everything here works on the shape of the text (clauses, cue words, positions), never on
//! particular sentences, names or numbers.

mod cues;
mod direction;
mod events;
mod measure;
mod modality;
mod parties;
mod sentence;
mod share;
mod when;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{mentions_in_order, Mention, Money, PartialDate, Period};
use crate::aliases::{Aliases, EntityId, EntityMention};
use crate::text;
pub use direction::origin_asked;
pub use measure::categories_in;
use sentence::{dedup, most_mentioned, Sentence};
/// What a money figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Turnover,
    Export,
    Import,
    Investment,
    Other,
}

/// Whether a figure happened or is only hoped for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Actual,
    Target,
    Forecast,
    Potential,
}

/// Whose trade a figure is: between two parties, one party's total, a group's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Bilateral,
    Total,
    Group,
    Unknown,
}

/// A money figure and what the text says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoneyFact {
    pub amount: f64,
    pub currency: Option<String>,
    /// The figure as written.
    pub text: String,
    /// Byte range in the passage.
    pub start: usize,
    pub end: usize,
    pub year: Option<i32>,
    pub period: Option<Period>,
    pub measure: Measure,
    /// What part of trade the figure covers when the text narrows it ("agricultural
    /// products", "services", "non-oil"): such a figure never answers a question about
    /// trade as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub modality: Modality,
    pub scope: Scope,
    /// Canonical names of the countries or blocs the figure concerns.
    pub parties: Vec<String>,
    /// The share this figure is of a whole, in percent.
    pub percent: Option<f64>,
    /// The percentage was computed from the part and the whole, not written.
    pub percent_computed: bool,
    /// The amount of the whole this figure is a share of.
    pub whole: Option<f64>,
    /// The change on the period before that the text states for this figure, in percent
    /// ("up 14% on the year before": 14; "down 5%": -5). Never a share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth: Option<f64>,
    /// For an export or import between two parties: the one the goods come from, so that
    /// "Armenia's imports from Georgia" and "Georgia's exports to Armenia" are known as the
    /// same flow seen from either side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The sentence the figure stands in.
    pub sentence: String,
}

/// A dated event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateFact {
    pub date: PartialDate,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub event: String,
    pub parties: Vec<String>,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Fact {
    Money(MoneyFact),
    Date(DateFact),
}

/// What extraction knows about the passage's document.
pub struct FactContext<'a> {
    pub published: Option<NaiveDate>,
    pub aliases: &'a Aliases,
    pub title: &'a str,
    /// How all-digit dates whose fields do not settle it are read (`config.toml`).
    pub date_order: super::DateOrder,
    /// The part of a year the document's lead (its first passage) is about, from
    /// [`lead_period`]: it dates the figures of later passages that nothing else dates.
    pub lead_period: Option<Period>,
}

/// The part of a year a document's lead states, when it states exactly one ("topped $6
/// billion in the first seven months of 2021"): computed once per document.
pub fn lead_period(lead: &str) -> Option<Period> {
    if lead.is_empty() {
        return None;
    }
    let periods = super::dates::find_periods(lead);
    let first = periods.first()?;
    periods
        .iter()
        .all(|p| {
            (p.year, p.from_month, p.to_month) == (first.year, first.from_month, first.to_month)
        })
        .then(|| first.clone())
}

/// Which rules decided each attribute of a money fact, in the order they applied (a base
/// rule, then any that adjusted it): what `factbot facts --explain` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    pub year: Vec<&'static str>,
    pub measure: Vec<&'static str>,
    pub category: Vec<&'static str>,
    pub modality: Vec<&'static str>,
    pub parties: Vec<&'static str>,
    pub share: Vec<&'static str>,
    pub origin: Vec<&'static str>,
}

impl Explanation {
    /// "year=clause-date measure=nearest-before ...".
    pub fn line(&self) -> String {
        let f = |v: &[&str]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join("+")
            }
        };
        format!(
            "year={} measure={} category={} modality={} parties={} share={} origin={}",
            f(&self.year),
            f(&self.measure),
            f(&self.category),
            f(&self.modality),
            f(&self.parties),
            f(&self.share),
            f(&self.origin)
        )
    }
}

/// A named rule of a resolver: it decides the attribute, or passes to the next rule.
type Rule<T> = (&'static str, fn(&Figure) -> Option<T>);

/// The first rule of `rules` that applies, with its name.
fn decide<T>(rules: &[Rule<T>], f: &Figure) -> Option<(T, &'static str)> {
    rules
        .iter()
        .find_map(|(name, rule)| rule(f).map(|v| (v, *name)))
}

/// What the passage and its document say around every sentence.
struct Doc {
    /// The two names the passage mentions most.
    pub passage_entities: Vec<EntityId>,
    pub title_entities: Vec<EntityId>,
    /// A part of a year the title names ("… in January–July").
    pub title_period: Option<Period>,
    /// A part of a year the document's lead names.
    pub lead_period: Option<Period>,
}

/// What carries from one sentence into the next.
#[derive(Default)]
struct Carry {
    /// The year the passage is talking about.
    pub year: Option<i32>,
    /// The part of a year the last sentence that named one stated.
    pub period: Option<Period>,
    /// The measure the last sentence named.
    pub measure: Option<Measure>,
    /// The two names mentioned most so far, this sentence included: "the two countries".
    /// Names of later sentences are never borrowed ("Trade reached $4 billion. China is
    /// the main partner." says nothing of China's trade).
    pub pair: Vec<EntityId>,
}

/// One money figure in its sentence: what every resolver reads.
struct Figure<'s, 'a> {
    pub s: &'s Sentence<'a>,
    pub doc: &'s Doc,
    pub carry: &'s Carry,
    /// Position among the sentence's figures.
    pub i: usize,
    pub m: &'a Money,
    pub clause: usize,
    /// The figure's clause and the figure itself, relative to the sentence.
    pub cs: usize,
    pub ce: usize,
    pub start: usize,
    pub end: usize,
}

/// Extracts the facts of one passage.
pub fn extract_facts(passage: &str, ctx: &FactContext) -> Vec<Fact> {
    extract_explained(passage, ctx)
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

/// Extracts the facts of one passage, each money fact with the rules that decided it.
pub fn extract_explained(passage: &str, ctx: &FactContext) -> Vec<(Fact, Option<Explanation>)> {
    let found = mentions_in_order(passage, ctx.published, ctx.date_order);
    // Every fact hangs on a figure or a date: without one, finding names is wasted work
    // (most passages of a large archive have neither).
    if found.is_empty() {
        return Vec::new();
    }
    let mut analyzer = text::analyzer();
    let terms = text::terms(&mut analyzer, passage);
    let found_money: Vec<(usize, usize)> = found
        .iter()
        .filter_map(|m| match m {
            Mention::Money(x) => Some((x.start, x.end)),
            _ => None,
        })
        .collect();
    // "долларов США" names a currency, not a party.
    let entities: Vec<EntityMention> = ctx
        .aliases
        .find(passage, &terms, false)
        .into_iter()
        .filter(|e| !found_money.iter().any(|&(a, b)| e.start < b && a < e.end))
        .collect();
    let title_terms = text::terms(&mut analyzer, ctx.title);
    let doc = Doc {
        passage_entities: most_mentioned(&entities, 2),
        title_entities: dedup(
            ctx.aliases
                .find(ctx.title, &title_terms, false)
                .iter()
                .map(|m| m.entity),
        ),
        title_period: when::title_period(ctx.title, ctx.published),
        lead_period: ctx.lead_period.clone(),
    };

    let mut facts = Vec::new();
    let mut carry = Carry::default();
    for range in text::sentences(passage) {
        let sc = Sentence::new(passage, range, &found, &entities);
        if !sc.money.is_empty() {
            let so_far: Vec<EntityMention> = entities
                .iter()
                .copied()
                .filter(|e| e.start < range.1)
                .collect();
            carry.pair = most_mentioned(&so_far, 2);
        }
        let money = money_facts(&sc, ctx, &doc, &carry);
        carry.measure = measure::carried(&sc, &money, carry.measure);
        when::carry_into_next(&sc, &mut carry);
        facts.extend(money.into_iter().map(|(m, e)| (Fact::Money(m), Some(e))));
        facts.extend(
            events::date_facts(&sc, ctx, &doc)
                .into_iter()
                .map(|d| (Fact::Date(d), None)),
        );
    }
    facts
}

fn money_facts(
    sc: &Sentence,
    ctx: &FactContext,
    doc: &Doc,
    carry: &Carry,
) -> Vec<(MoneyFact, Explanation)> {
    let mut out: Vec<(MoneyFact, Explanation)> = Vec::new();
    let links = share::Links::of(sc);
    for (i, m) in sc.money.iter().enumerate() {
        let clause = sc.clause_of(m.start);
        let (cs, ce) = sc.clause_range(clause);
        let f = Figure {
            s: sc,
            doc,
            carry,
            i,
            m,
            clause,
            cs,
            ce,
            start: sc.rel(m.start),
            end: sc.rel(m.end),
        };
        let mut why = Explanation::default();
        let w = when::resolve(&f, &mut why.year);
        let (measure, category) = measure::resolve(&f, &mut why.measure, &mut why.category);
        let modality = modality::resolve(&f, &mut why.modality);
        let sh = share::resolve(&f, &links, &mut why.share);
        let previous = out.last().map(|(p, _)| p);
        let (parties, scope) = parties::resolve(&f, &links, &sh, previous, ctx, &mut why.parties);
        let origin = direction::of_figure(&f, measure, &parties).map(|(o, rule)| {
            why.origin.push(rule);
            ctx.aliases.entity(o).name.clone()
        });
        out.push((
            MoneyFact {
                amount: m.amount,
                currency: m.currency.clone(),
                text: m.text.clone(),
                start: m.start,
                end: m.end,
                year: w.year,
                period: w.period,
                measure,
                category,
                modality,
                scope,
                parties: parties
                    .iter()
                    .map(|&id| ctx.aliases.entity(id).name.clone())
                    .collect(),
                percent: sh.percent,
                percent_computed: sh.computed,
                whole: sh.whole,
                growth: sh.growth,
                origin,
                sentence: sc.text.to_string(),
            },
            why,
        ));
    }
    out
}
