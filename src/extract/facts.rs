//! Facts: money figures with their year or period, what they measure (turnover, export,
//! import, investment), whether they are actual or a target/forecast/potential, the
//! parties they concern and any share they state; and dates with the event their clause
//! describes. Built sentence by sentence from the mentions of one passage.
//!
//! Everything here works on the shape of the text (clauses, cue words, positions), never on
//! particular sentences, names or numbers.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{mentions_in_order, DateMention, Mention, Money, PartialDate, Percent, Period};
use crate::aliases::{Aliases, EntityId, EntityMention};
use crate::lexicon::{alternation, lexicon};
use crate::text;

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
}

struct Cue {
    re: Regex,
}

impl Cue {
    fn new(words: &str) -> Self {
        Cue {
            // Word boundaries are checked by hand: a Unicode `\b` would force the regex
            // engine off its fast path on every non-ASCII text.
            re: Regex::new(&format!(r"(?i)(?:{words})")).expect("cue regex"),
        }
    }
    /// A cue from a list of the lexicon's pattern fragments.
    fn from_list(fragments: &[String]) -> Self {
        Cue::new(&alternation(fragments))
    }
    fn words<'s>(&'s self, s: &'s str) -> impl Iterator<Item = regex::Match<'s>> + 's {
        self.re.find_iter(s).filter(move |m| {
            let before = s[..m.start()].chars().next_back();
            let after = s[m.end()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }
    /// End offset of the last match in `s`.
    fn last_in(&self, s: &str) -> Option<usize> {
        self.words(s).last().map(|m| m.end())
    }
    fn first_in(&self, s: &str) -> Option<usize> {
        self.words(s).next().map(|m| m.start())
    }
    fn is_in(&self, s: &str) -> bool {
        self.re.is_match(s) && self.words(s).next().is_some()
    }
}

static MEASURES: LazyLock<Vec<(Measure, Cue)>> = LazyLock::new(|| {
    let m = &lexicon().measures;
    // Order matters where cues overlap: the more specific measures come first.
    vec![
        (Measure::Export, Cue::from_list(&m.export)),
        (Measure::Import, Cue::from_list(&m.import)),
        (Measure::Investment, Cue::from_list(&m.investment)),
        (Measure::Other, Cue::from_list(&m.other)),
        (Measure::Turnover, Cue::from_list(&m.turnover)),
    ]
});

static TARGET: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().modality.target));
static FORECAST: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().modality.forecast));
static POTENTIAL: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().modality.potential));
/// Verbs that state a figure as a fact; after one, earlier hedges no longer apply.
static ACTUAL: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().modality.actual));
static TOTAL: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().scope.total));
static BOTH_SIDES: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().scope.both_sides));
static COMPARED: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().links.compared));
static YEAR_EARLIER: LazyLock<Cue> =
    LazyLock::new(|| Cue::from_list(&lexicon().links.year_earlier));
static PART_OF: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().links.part_of));
static SHARE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:in|for|в|за)\s+\d{4}(?:\s*(?:году|года|г\.))?)?\s*(?:\(|,|—|–|-)?\s*(?:or|i\.e\.|that is|which is|или|что составляет|это)?\s*(?:about|around|almost|nearly|около|почти)?\s*$")
        .expect("share link regex")
});
static EVENT_VERB: LazyLock<Cue> = LazyLock::new(|| Cue::from_list(&lexicon().events.verbs));

/// Where clauses of a sentence begin: after `,` `;` `:` dashes and brackets, and before
/// "while", "whereas", "but", "of which". Commas inside figures and dates don't count.
fn clause_starts(sentence: &str, protected: &[(usize, usize)]) -> Vec<usize> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i),|;|:| – | — | - |\(|\)|(?-u:\b)while(?-u:\b)|(?-u:\b)whereas(?-u:\b)|(?-u:\b)but(?-u:\b)|(?-u:\b)of which(?-u:\b)|(?-u:\b)including(?-u:\b)| а также | из них | в том числе | тогда как ")
            .expect("clause regex")
    });
    let mut out = vec![0];
    for m in SPLIT.find_iter(sentence) {
        if protected
            .iter()
            .any(|&(a, b)| m.start() >= a && m.start() < b)
        {
            continue;
        }
        let bytes = sentence.as_bytes();
        // "1,300": a comma between digits groups a number.
        if m.as_str() == ","
            && m.start() > 0
            && bytes[m.start() - 1].is_ascii_digit()
            && bytes.get(m.end()).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        out.push(if m.as_str().starts_with([',', ';', ':', '(', ')']) {
            m.end()
        } else {
            m.start()
        });
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn clause_of(starts: &[usize], pos: usize) -> usize {
    starts.iter().rposition(|&s| s <= pos).unwrap_or(0)
}

fn clause_range(starts: &[usize], idx: usize, len: usize) -> (usize, usize) {
    (starts[idx], starts.get(idx + 1).copied().unwrap_or(len))
}

struct SentenceCtx<'a> {
    text: &'a str,
    /// Offset of the sentence in the passage.
    offset: usize,
    starts: Vec<usize>,
    money: Vec<&'a Money>,
    dates: Vec<&'a DateMention>,
    percents: Vec<&'a Percent>,
    periods: Vec<&'a Period>,
    entities: Vec<EntityMention>,
}

impl SentenceCtx<'_> {
    fn rel(&self, abs: usize) -> usize {
        abs - self.offset
    }
    fn clause_of(&self, abs: usize) -> usize {
        clause_of(&self.starts, self.rel(abs))
    }
    fn clause_has_money(&self, clause: usize) -> bool {
        self.money.iter().any(|m| self.clause_of(m.start) == clause)
    }
}

/// Extracts the facts of one passage.
pub fn extract_facts(passage: &str, ctx: &FactContext) -> Vec<Fact> {
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
    let title_entities: Vec<EntityId> = dedup(
        ctx.aliases
            .find(ctx.title, &title_terms, false)
            .iter()
            .map(|m| m.entity),
    );
    let passage_entities = most_mentioned(&entities, 2);

    let mut facts = Vec::new();
    let mut prev_sentence_year: Option<i32> = None;
    let mut prev_measure: Option<Measure> = None;
    for (s, e) in text::sentences(passage) {
        let within = |start: usize| start >= s && start < e;
        let mut sc = SentenceCtx {
            text: &passage[s..e],
            offset: s,
            starts: Vec::new(),
            money: Vec::new(),
            dates: Vec::new(),
            percents: Vec::new(),
            periods: Vec::new(),
            entities: entities
                .iter()
                .copied()
                .filter(|m| within(m.start))
                .collect(),
        };
        let mut protected = Vec::new();
        for m in &found {
            if !within(m.start()) {
                continue;
            }
            match m {
                Mention::Money(x) => {
                    protected.push((x.start - s, x.end.min(e) - s));
                    sc.money.push(x);
                }
                Mention::Date(x) => {
                    protected.push((x.start - s, x.end.min(e) - s));
                    sc.dates.push(x);
                }
                Mention::Percent(x) => sc.percents.push(x),
                Mention::Period(x) => {
                    protected.push((x.start - s, x.end.min(e) - s));
                    sc.periods.push(x);
                }
            }
        }
        sc.starts = clause_starts(sc.text, &protected);

        let money_facts = money_facts(
            &sc,
            ctx,
            &passage_entities,
            &title_entities,
            prev_sentence_year,
            prev_measure,
        );
        if let Some(m) = money_facts.last() {
            if m.measure != Measure::Other {
                prev_measure = Some(m.measure);
            }
        } else if let Some(m) = sentence_measure(sc.text) {
            prev_measure = Some(m);
        }
        // The year a passage is talking about carries into the sentences after it that name
        // none ("Trade in 2022 was ... Exports were ..."). A sentence with several years
        // resets it, unless the others are only compared with ("in 2023, up 14% compared
        // with 2022"): then its first year is the one it is about.
        let mut year_mentions: Vec<(usize, i32)> = sc
            .dates
            .iter()
            .filter(|d| d.date.grain() == super::Grain::Year && !is_dateline(&sc, d))
            .map(|d| (d.start, d.date.year))
            .chain(sc.periods.iter().map(|p| (p.start, p.year)))
            .collect();
        year_mentions.sort_unstable();
        let years: Vec<i32> = dedup(year_mentions.iter().map(|&(_, y)| y));
        match years.len() {
            0 => {}
            1 => prev_sentence_year = Some(years[0]),
            2 if COMPARED.is_in(sc.text) => prev_sentence_year = Some(years[0]),
            _ => prev_sentence_year = None,
        }
        facts.extend(money_facts.into_iter().map(Fact::Money));
        facts.extend(
            date_facts(&sc, ctx, &passage_entities, &title_entities)
                .into_iter()
                .map(Fact::Date),
        );
    }
    facts
}

fn dedup<T: PartialEq>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for x in it {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

fn most_mentioned(mentions: &[EntityMention], n: usize) -> Vec<EntityId> {
    let mut counts: HashMap<EntityId, (usize, usize)> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let c = counts.entry(m.entity).or_insert((0, i));
        c.0 += 1;
    }
    let mut v: Vec<(EntityId, (usize, usize))> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    v.into_iter().take(n).map(|(id, _)| id).collect()
}

fn sentence_measure(sentence: &str) -> Option<Measure> {
    MEASURES
        .iter()
        .filter(|(m, _)| *m != Measure::Other)
        .filter_map(|(m, cue)| cue.first_in(sentence).map(|p| (p, *m)))
        .min_by_key(|(p, _)| *p)
        .map(|(_, m)| m)
}

/// The measure named nearest before the figure in its sentence, else the first after it.
fn measure_for(sentence: &str, rel_start: usize, rel_end: usize) -> Option<Measure> {
    // "a 5 billion yuan credit line", "$2 million loan": what follows names the figure.
    let mut right_after = rel_end;
    for (n, (i, _)) in sentence[rel_end..].char_indices().enumerate() {
        right_after = rel_end + i;
        if n >= 14 {
            break;
        }
    }
    if let Some((_, cue)) = MEASURES.iter().find(|(m, _)| *m == Measure::Other) {
        if cue
            .first_in(&sentence[rel_end..right_after])
            .is_some_and(|p| p <= 2)
        {
            return Some(Measure::Other);
        }
    }
    let before = &sentence[..rel_start];
    let nearest_before = MEASURES
        .iter()
        .filter_map(|(m, cue)| cue.last_in(before).map(|p| (p, *m)))
        .max_by_key(|(p, _)| *p)
        .map(|(_, m)| m);
    nearest_before.or_else(|| {
        let after = &sentence[rel_end..];
        MEASURES
            .iter()
            .filter_map(|(m, cue)| cue.first_in(after).map(|p| (p, *m)))
            .min_by_key(|(p, _)| *p)
            .map(|(_, m)| m)
    })
}

fn modality_for(clause_before: &str) -> Modality {
    let actual = ACTUAL.last_in(clause_before);
    let cues = [
        (Modality::Target, TARGET.last_in(clause_before)),
        (Modality::Forecast, FORECAST.last_in(clause_before)),
        (Modality::Potential, POTENTIAL.last_in(clause_before)),
    ];
    let best = cues
        .iter()
        .filter_map(|(m, p)| p.map(|p| (p, *m)))
        .max_by_key(|(p, _)| *p);
    match (best, actual) {
        // "plans to raise it to", "may reach": the hedge stands unless a plain statement
        // ("was", "amounted") comes after it. "reached" after "expected to" stays a forecast
        // only when the hedge is nearer.
        (Some((p, m)), Some(a)) if p >= a => m,
        (Some((_, m)), None) => m,
        _ => Modality::Actual,
    }
}

fn money_facts(
    sc: &SentenceCtx,
    ctx: &FactContext,
    passage_entities: &[EntityId],
    title_entities: &[EntityId],
    prev_sentence_year: Option<i32>,
    prev_measure: Option<Measure>,
) -> Vec<MoneyFact> {
    let mut out: Vec<MoneyFact> = Vec::new();
    let len = sc.text.len();
    let first_entity = sc.entities.first().map(|m| m.entity);
    let enumeration = is_enumeration(sc);
    // "X, or 8.3%": the percentage each figure states of a whole.
    let linked: Vec<Option<&Percent>> = sc
        .money
        .iter()
        .map(|m| {
            sc.percents.iter().copied().find(|p| {
                p.start >= m.end
                    && SHARE_LINK.is_match(&sc.text[sc.rel(m.end).min(len)..sc.rel(p.start)])
            })
        })
        .collect();
    // "X, or 0.7% of the Kyrgyz Republic's $8.4 billion foreign trade": the next figure
    // is the whole.
    let whole_after: Vec<Option<usize>> = (0..sc.money.len())
        .map(|i| {
            let p = linked[i]?;
            let next = sc.money.get(i + 1)?;
            let between = sc.text.get(sc.rel(p.end)..sc.rel(next.start))?;
            let b = between.trim_start().to_lowercase();
            (between.len() < 90
                && (b.starts_with("of ") || b.starts_with("от ") || b.starts_with("из ")))
            .then_some(i + 1)
        })
        .collect();
    for (i, m) in sc.money.iter().enumerate() {
        let clause = sc.clause_of(m.start);
        let (cs, _ce) = clause_range(&sc.starts, clause, len);
        let rel_start = sc.rel(m.start);
        let rel_end = sc.rel(m.end).min(len);

        // Year or period: the clause's own, else a clause with no figure of its own
        // ("In 2019, trade ..."), else the sentence's only year, else the previous
        // sentence's only year.
        let clause_period = sc.periods.iter().find(|p| sc.clause_of(p.start) == clause);
        let clause_date = nearest_date(
            sc.dates
                .iter()
                .filter(|d| sc.clause_of(d.start) == clause && !is_dateline(sc, d))
                .copied(),
            m,
        );
        // "в 2020 году — 720,1 млн": the nearest such year before the figure.
        let header_date = nearest_date(
            sc.dates
                .iter()
                .filter(|d| {
                    !sc.clause_has_money(sc.clause_of(d.start))
                        && d.start < m.start
                        && !is_dateline(sc, d)
                })
                .copied(),
            m,
        );
        let header_period = sc
            .periods
            .iter()
            .find(|p| !sc.clause_has_money(sc.clause_of(p.start)) && p.start < m.start);
        let sentence_years: Vec<i32> = dedup(
            sc.dates
                .iter()
                .filter(|d| !is_dateline(sc, d))
                .map(|d| d.date.year)
                .chain(sc.periods.iter().map(|p| p.year)),
        );
        let mut period: Option<Period> = None;
        let year = if let Some(p) = clause_period {
            period = Some((*p).clone());
            Some(p.year)
        } else if let Some(d) = clause_date {
            period = month_period(d);
            Some(d.date.year)
        } else if let Some(p) = header_period {
            period = Some((*p).clone());
            Some(p.year)
        } else if let Some(d) = header_date {
            period = month_period(d);
            Some(d.date.year)
        } else if sentence_years.len() == 1 {
            if let Some(p) = sc.periods.first() {
                period = Some((*p).clone());
            }
            Some(sentence_years[0])
        } else if sentence_years.is_empty() {
            prev_sentence_year
        } else {
            None
        };

        // "$1.0 billion a year earlier": the year before the sentence's own.
        let year = if YEAR_EARLIER.is_in(&sc.text[rel_end..].chars().take(30).collect::<String>()) {
            sentence_years.first().map(|y| y - 1).or(year)
        } else {
            year
        };

        let measure = measure_for(sc.text, rel_start, rel_end)
            .or(prev_measure)
            .unwrap_or(Measure::Other);
        let modality = modality_for(&sc.text[cs..rel_start]);

        // Parties: the clause's own names plus the sentence's first (its subject); a list
        // of three or more names means the whole group; "between the two countries" means
        // the passage's (or the title's) main pair.
        // A clause that names no one speaks of the whole sentence's parties.
        let own: Vec<EntityId> = dedup(
            sc.entities
                .iter()
                .filter(|e| sc.clause_of(e.start) == clause)
                .map(|e| e.entity),
        );
        let mut parties: Vec<EntityId> = if enumeration || own.is_empty() {
            dedup(sc.entities.iter().map(|e| e.entity))
        } else {
            dedup(first_entity.into_iter().chain(own))
        };
        let refers_to_pair = BOTH_SIDES.is_in(sc.text);
        if refers_to_pair && parties.len() < 2 || parties.is_empty() {
            let fallback = if passage_entities.is_empty() {
                title_entities
            } else {
                passage_entities
            };
            for &e in fallback {
                if !parties.contains(&e) {
                    parties.push(e);
                }
            }
        }
        let clause_text = &sc.text[cs..rel_end];
        let total_cue = TOTAL.is_in(clause_text) || (cs == 0 && TOTAL.is_in(&sc.text[..rel_start]));
        // "trade with China reached ...": one named partner of the country the passage is
        // about.
        if parties.len() == 1 && !total_cue && !enumeration {
            if let Some(&main) = passage_entities
                .iter()
                .chain(title_entities)
                .find(|e| !parties.contains(e))
            {
                parties.insert(0, main);
            }
        }
        let scope = match parties.len() {
            0 => Scope::Unknown,
            1 if total_cue => Scope::Total,
            1 => Scope::Unknown,
            2 => Scope::Bilateral,
            _ => Scope::Group,
        };

        // Share: "X or 8.3%", "X (8.3%)"; the whole is an earlier figure joined by "of which".
        let percent = linked[i];
        let whole = if i > 0 {
            let prev = sc.money[i - 1];
            let between = &sc.text[sc.rel(prev.end)..rel_start];
            PART_OF.is_in(between).then_some(prev.amount)
        } else {
            None
        };
        let whole = whole.or_else(|| whole_after[i].map(|j| sc.money[j].amount));
        // This figure is the whole of the one before: its parties are the ones named
        // between the two ("the Kyrgyz Republic's"), and it is a total when said so.
        let whole_of = i.checked_sub(1).filter(|&k| whole_after[k] == Some(i));
        let (mut parties, scope) = match whole_of.and_then(|k| linked[k]) {
            Some(p) => {
                let from = sc.rel(p.end);
                let named: Vec<EntityId> = dedup(
                    sc.entities
                        .iter()
                        .filter(|e| sc.rel(e.start) >= from && e.start < m.start)
                        .map(|e| e.entity),
                );
                let named = if named.is_empty() {
                    first_entity.into_iter().collect()
                } else {
                    named
                };
                let tail: String = sc.text[from..].chars().take(rel_end - from + 40).collect();
                let scope = if TOTAL.is_in(&tail) && named.len() == 1 {
                    Scope::Total
                } else {
                    scope
                };
                (named, scope)
            }
            None => (parties, scope),
        };
        let (percent, computed) = match (percent, whole) {
            (Some(p), _) => (Some(p.value), false),
            (None, Some(w)) if w > 0.0 => (Some((m.amount / w * 1000.0).round() / 10.0), true),
            _ => (None, false),
        };
        let whole = whole.or_else(|| {
            percent
                .filter(|p| *p > 0.0 && !computed)
                .map(|p| (m.amount * 100.0 / p).round())
        });

        // A share's parties include its whole's: "Kyrgyzstan's trade ..., of which ... fell on
        // Kazakhstan" concerns both.
        if whole.is_some() {
            if let Some(w) = out.last() {
                for p in &w.parties {
                    if let Some(id) = ctx.aliases.by_name(p) {
                        if !parties.contains(&id) {
                            parties.insert(0, id);
                        }
                    }
                }
            }
        }
        let scope = if whole.is_some() && parties.len() == 2 {
            Scope::Bilateral
        } else {
            scope
        };

        out.push(MoneyFact {
            amount: m.amount,
            currency: m.currency.clone(),
            text: m.text.clone(),
            start: m.start,
            end: m.end,
            year,
            period,
            measure,
            category: None,
            modality,
            scope,
            parties: parties
                .iter()
                .map(|&id| ctx.aliases.entity(id).name.clone())
                .collect(),
            percent,
            percent_computed: computed,
            whole,
            sentence: sc.text.to_string(),
        });
    }
    out
}

/// A figure dated by a month ("in March 2023") covers that month only.
fn month_period(d: &DateMention) -> Option<Period> {
    match (d.date.month, d.date.day) {
        (Some(mo), None) => Some(Period {
            year: d.date.year,
            from_month: mo,
            to_month: mo,
            text: d.text.clone(),
            start: d.start,
            end: d.end,
        }),
        _ => None,
    }
}

/// The date nearest the figure in its clause ("$2.9 billion in 2019 and $2.6 billion in
/// 2020"), preferring a plain year to a month and a month to a day.
fn nearest_date<'a>(
    it: impl Iterator<Item = &'a DateMention>,
    m: &Money,
) -> Option<&'a DateMention> {
    it.min_by_key(|d| {
        let grain = match d.date.grain() {
            super::Grain::Year => 0,
            super::Grain::Month => 1,
            super::Grain::Day => 2,
        };
        let gap = if d.start >= m.end {
            d.start - m.end
        } else {
            m.start.saturating_sub(d.end) + 1
        };
        (grain, gap)
    })
}

/// A news dateline ("ASTANA, February 10, 2022 –", "АСТАНА, 12 мая 2023 года."): when the
/// piece was written, not when anything in it happened.
fn is_dateline(sc: &SentenceCtx, d: &DateMention) -> bool {
    let before = sc.text[..sc.rel(d.start)].trim();
    let after = sc.text[sc.rel(d.end).min(sc.text.len())..].trim_start();
    let place_only = before.is_empty()
        || before.ends_with(',')
            && before.trim_end_matches(',').chars().all(|c| {
                c.is_uppercase()
                    || c.is_whitespace()
                    || c == '-'
                    || c == '.'
                    || c == '('
                    || c == ')'
            });
    let opens_text = after.is_empty()
        || after.starts_with(['–', '—', '-', '.', '/'])
        || after.starts_with("года")
            && after
                .trim_start_matches("года")
                .trim_start()
                .starts_with(['.', '–', '—', '-']);
    sc.offset == 0 && place_only && opens_text
}

/// Three or more names joined only by commas and "and": a list, as in "members Russia,
/// Belarus, Kazakhstan and Armenia".
fn is_enumeration(sc: &SentenceCtx) -> bool {
    let mut run = 1;
    for w in sc.entities.windows(2) {
        let between = sc.text
            [sc.rel(w[0].end).min(sc.text.len())..sc.rel(w[1].start).min(sc.text.len())]
            .trim()
            .to_lowercase();
        if matches!(
            between.as_str(),
            "," | "and" | ", and" | "и" | ", и" | "or" | "/"
        ) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

fn date_facts(
    sc: &SentenceCtx,
    ctx: &FactContext,
    passage_entities: &[EntityId],
    title_entities: &[EntityId],
) -> Vec<DateFact> {
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
        let (cs, ce) = clause_range(&sc.starts, clause, len);
        let clause_text = &sc.text[cs..ce];
        let happened = EVENT_VERB.is_in(clause_text);
        // A year is an event only in a clause that says something happened; a clause that
        // reports a trade figure for a date is a statistic, not an event.
        let statistic = sc.clause_has_money(clause)
            && MEASURES
                .iter()
                .any(|(m, cue)| *m != Measure::Other && cue.is_in(clause_text));
        if statistic
            || d.date.grain() == super::Grain::Year && !happened
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
        // The event's own names, then the sentence's; a relations article's title names the
        // pair when the sentence names fewer than two.
        let mut parties: Vec<EntityId> = dedup(
            ctx.aliases
                .find(&event, &event_terms, false)
                .into_iter()
                .map(|m| m.entity)
                .chain(sc.entities.iter().map(|m| m.entity)),
        );
        for &e in title_entities.iter().chain(passage_entities) {
            if parties.len() >= 2 {
                break;
            }
            if !parties.contains(&e) {
                parties.push(e);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str, published: Option<NaiveDate>) -> Vec<Fact> {
        let aliases = Aliases::builtin();
        extract_facts(
            text,
            &FactContext {
                published,
                aliases: &aliases,
                title: "Kazakhstan and Kyrgyzstan",
                date_order: Default::default(),
            },
        )
    }

    fn money(f: &[Fact]) -> Vec<&MoneyFact> {
        f.iter()
            .filter_map(|f| match f {
                Fact::Money(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    fn dates(f: &[Fact]) -> Vec<&DateFact> {
        f.iter()
            .filter_map(|f| match f {
                Fact::Date(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn yearly_list_gives_each_figure_its_year() {
        let f = facts("Kazakhstan is the second partner of Kyrgyzstan. The foreign trade turnover between the states was $90.8 million in 2000, $120.8 million in 2001, and $228.0 million in 2003.", None);
        let m = money(&f);
        let got: Vec<(f64, Option<i32>)> = m.iter().map(|m| (m.amount, m.year)).collect();
        assert_eq!(
            got,
            vec![
                (90_800_000.0, Some(2000)),
                (120_800_000.0, Some(2001)),
                (228_000_000.0, Some(2003))
            ]
        );
        assert!(m
            .iter()
            .all(|m| m.measure == Measure::Turnover && m.modality == Modality::Actual));
        assert_eq!(m[0].parties, vec!["Kazakhstan", "Kyrgyzstan"]);
        assert_eq!(m[0].scope, Scope::Bilateral);
    }

    #[test]
    fn share_of_a_total() {
        let f = facts("In 2023 Kyrgyzstan's foreign trade turnover made 15.6 billion US dollars of which 1.3 billion US dollars or 8.3% fell on Kazakhstan.", None);
        let m = money(&f);
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].amount, m[0].year, m[0].scope),
            (15.6e9, Some(2023), Scope::Total)
        );
        assert_eq!(m[0].parties, vec!["Kyrgyzstan"]);
        assert_eq!(
            (m[1].amount, m[1].year, m[1].percent, m[1].whole),
            (1.3e9, Some(2023), Some(8.3), Some(15.6e9))
        );
        assert_eq!(m[1].parties, vec!["Kyrgyzstan", "Kazakhstan"]);
    }

    #[test]
    fn hedged_figures_are_not_actual() {
        let f = facts("Kazakhstan and Kyrgyzstan have great potential and may reach 5 billion US dollars. They plan to raise trade to $4 billion by 2030. Trade is expected to surpass $2 billion in 2025. Trade was $1 billion in 2022.", None);
        let m = money(&f);
        let got: Vec<Modality> = m.iter().map(|m| m.modality).collect();
        assert_eq!(
            got,
            vec![
                Modality::Potential,
                Modality::Target,
                Modality::Forecast,
                Modality::Actual
            ]
        );
    }

    #[test]
    fn year_carries_past_a_comparison_into_the_next_sentence() {
        let f = facts("По итогам 2023 года товарооборот составил 4,4 млрд долларов США, увеличившись на 14% по сравнению с 2022 годом. Экспорт достиг 3,2 млрд долларов.", None);
        let m = money(&f);
        assert_eq!(
            (m[1].amount, m[1].year, m[1].measure),
            (3.2e9, Some(2023), Measure::Export)
        );
    }

    #[test]
    fn part_year_periods_are_kept() {
        let f = facts("In January-September 2021, trade between Kazakhstan and Uzbekistan amounted to $2.9 billion.", None);
        let m = money(&f);
        let p = m[0].period.as_ref().expect("period");
        assert_eq!((m[0].year, p.from_month, p.to_month), (Some(2021), 1, 9));
        assert_eq!(m[0].parties, vec!["Kazakhstan", "Uzbekistan"]);
    }

    #[test]
    fn russian_figures() {
        let f = facts("По итогам 2023 года товарооборот между Казахстаном и Кыргызстаном составил 1,9 млрд долларов США, экспорт вырос до 1,2 млрд долларов.", None);
        let m = money(&f);
        assert_eq!(
            (m[0].amount, m[0].year, m[0].measure),
            (1.9e9, Some(2023), Measure::Turnover)
        );
        assert_eq!(m[1].measure, Measure::Export);
    }

    #[test]
    fn events_from_clauses() {
        let f = facts("Diplomatic relations between Kyrgyzstan and Kazakhstan were established on October 15, 1992. The main documents are: the Treaty of Eternal Friendship, signed on April 8, 1997, and the Treaty on Allied Relations, signed on December 25, 2003.", None);
        let d = dates(&f);
        let got: Vec<(String, String)> = d
            .iter()
            .map(|d| (d.date.to_string(), d.event.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "1992-10-15".into(),
                    "Diplomatic relations between Kyrgyzstan and Kazakhstan were established"
                        .into()
                ),
                (
                    "1997-04-08".into(),
                    "the Treaty of Eternal Friendship, signed".into()
                ),
                (
                    "2003-12-25".into(),
                    "the Treaty on Allied Relations, signed".into()
                ),
            ]
        );
    }

    #[test]
    fn russian_lists_with_dashes() {
        let f = facts("Товарооборот между Казахстаном и Кыргызстаном в 2019 году составил 925,3 млн долларов США, в 2020 году — 720,1 млн, в 2021 году — 977,6 млн долларов. В 1997 году был подписан Договор о вечной дружбе, а в декабре 2003 года — Договор о союзнических отношениях.", None);
        let years: Vec<Option<i32>> = money(&f).iter().map(|m| m.year).collect();
        assert_eq!(years, vec![Some(2019), Some(2020), Some(2021)]);
        let d = dates(&f);
        assert_eq!(d[1].event, "Договор о союзнических отношениях");
    }

    #[test]
    fn quoted_names_in_events_stay_closed() {
        let f = facts("In March 2018 the two presidents opened the \"Year of Uzbekistan in Kazakhstan\". Then more.", None);
        assert_eq!(
            dates(&f)[0].event,
            "the two presidents opened the \"Year of Uzbekistan in Kazakhstan\""
        );
    }

    #[test]
    fn event_after_leading_date() {
        let f = facts(
            "On 8 April 1997, the presidents signed the Treaty of Eternal Friendship.",
            None,
        );
        let d = dates(&f);
        assert_eq!(
            d[0].event,
            "the presidents signed the Treaty of Eternal Friendship"
        );
    }

    #[test]
    fn trade_years_are_not_events() {
        let f = facts(
            "Trade was $90.8 million in 2000 and relations grew since 1992.",
            None,
        );
        assert!(dates(&f).is_empty());
    }
}
