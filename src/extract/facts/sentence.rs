//! The structure of one sentence, computed once and read by every resolver: its clauses, the
//! figures, dates, percentages and periods in it, the countries it names and its cue hits.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::CueHits;
use crate::aliases::{EntityId, EntityMention};
use crate::extract::{DateMention, Grain, Mention, Money, Percent, Period};

pub(super) struct Sentence<'a> {
    pub text: &'a str,
    /// Offset of the sentence in the passage.
    pub offset: usize,
    /// Where its clauses begin, relative to the sentence.
    pub starts: Vec<usize>,
    pub money: Vec<&'a Money>,
    pub dates: Vec<&'a DateMention>,
    pub percents: Vec<&'a Percent>,
    pub periods: Vec<&'a Period>,
    pub entities: Vec<EntityMention>,
    /// The years it names (not its dateline, not a comparison's base), in order, each once.
    pub years: Vec<i32>,
    pub cues: CueHits,
}

impl<'a> Sentence<'a> {
    /// The sentence `s..e` of `passage` with the mentions and names that start in it.
    pub(super) fn new(
        passage: &'a str,
        (s, e): (usize, usize),
        found: &'a [Mention],
        entities: &[EntityMention],
    ) -> Self {
        let within = |start: usize| start >= s && start < e;
        let mut sc = Sentence {
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
            years: Vec::new(),
            cues: CueHits::default(),
        };
        let mut protected = Vec::new();
        for m in found.iter().filter(|m| within(m.start())) {
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
        // "24% more than in 2021", "по сравнению с 2022 годом": the base of a comparison
        // dates no figure of the sentence (looked for only where there is a figure).
        if !sc.money.is_empty() {
            sc.dates
                .retain(|d| !is_comparison_base(sc.text, d.start - s));
        }
        sc.years = dedup(
            sc.dates
                .iter()
                .filter(|d| !is_dateline(&sc, d))
                .map(|d| d.date.year)
                .chain(sc.periods.iter().map(|p| p.year)),
        );
        // Cue hits are needed only where there is a figure to read.
        if !sc.money.is_empty() {
            sc.cues = CueHits::of(sc.text);
        }
        sc
    }

    pub(super) fn rel(&self, abs: usize) -> usize {
        abs.saturating_sub(self.offset).min(self.text.len())
    }
    pub(super) fn clause_of(&self, abs: usize) -> usize {
        clause_of(&self.starts, self.rel(abs))
    }
    pub(super) fn clause_range(&self, idx: usize) -> (usize, usize) {
        clause_range(&self.starts, idx, self.text.len())
    }
    pub(super) fn clause_has_money(&self, clause: usize) -> bool {
        self.money.iter().any(|m| self.clause_of(m.start) == clause)
    }
}

/// Whether the date at `at` is what something is compared with: right after "than (in)",
/// "compared with", "over", "чем в", "по сравнению с".
fn is_comparison_base(sentence: &str, at: usize) -> bool {
    static BASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:(?-u:\b)(?:than|compared (?:with|to)|versus|vs\.?|over)|чем|сравнению с|сравнении с|относительно)\s+(?:(?:the )?same period (?:of |in )?|аналогичным периодом )?(?:(?:in|в|во)\s+)?$")
            .expect("comparison base regex")
    });
    let head = &sentence[..at.min(sentence.len())];
    let from = head.char_indices().rev().nth(30).map_or(0, |(i, _)| i);
    BASE.is_match(&head[from..])
}

/// Where clauses of a sentence begin: after `,` `;` `:` dashes and brackets, and before
/// "while", "whereas", "but", "of which". Commas inside figures and dates don't count.
pub(super) fn clause_starts(sentence: &str, protected: &[(usize, usize)]) -> Vec<usize> {
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

pub(super) fn clause_of(starts: &[usize], pos: usize) -> usize {
    starts.iter().rposition(|&s| s <= pos).unwrap_or(0)
}

pub(super) fn clause_range(starts: &[usize], idx: usize, len: usize) -> (usize, usize) {
    (starts[idx], starts.get(idx + 1).copied().unwrap_or(len))
}

pub(super) fn dedup<T: PartialEq>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for x in it {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// The `n` names mentioned most often, the earlier first on a tie.
pub(super) fn most_mentioned(mentions: &[EntityMention], n: usize) -> Vec<EntityId> {
    let mut counts: HashMap<EntityId, (usize, usize)> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let c = counts.entry(m.entity).or_insert((0, i));
        c.0 += 1;
    }
    let mut v: Vec<(EntityId, (usize, usize))> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    v.into_iter().take(n).map(|(id, _)| id).collect()
}

/// A news dateline ("ASTANA, February 10, 2022 –", "АСТАНА, 12 мая 2023 года."): when the
/// piece was written, not when anything in it happened.
pub(super) fn is_dateline(sc: &Sentence, d: &DateMention) -> bool {
    let before = sc.text[..sc.rel(d.start)].trim();
    let after = sc.text[sc.rel(d.end)..].trim_start();
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
pub(super) fn is_enumeration(sc: &Sentence) -> bool {
    let mut run = 1;
    for w in sc.entities.windows(2) {
        let (a, b) = (sc.rel(w[0].end), sc.rel(w[1].start));
        let between = sc.text[a.min(b)..b].trim().to_lowercase();
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

/// A figure dated by a month ("in March 2023") covers that month only.
pub(super) fn month_period(d: &DateMention) -> Option<Period> {
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

/// The date nearest the figure ("$2.9 billion in 2019 and $2.6 billion in 2020"),
/// preferring a plain year to a month and a month to a day.
pub(super) fn nearest_date<'a>(
    it: impl Iterator<Item = &'a DateMention>,
    m: &Money,
) -> Option<&'a DateMention> {
    it.min_by_key(|d| {
        let grain = match d.date.grain() {
            Grain::Year => 0,
            Grain::Month => 1,
            Grain::Day => 2,
        };
        let gap = if d.start >= m.end {
            d.start - m.end
        } else {
            m.start.saturating_sub(d.end) + 1
        };
        (grain, gap)
    })
}

#[cfg(test)]
mod tests {
    use super::is_comparison_base;

    #[test]
    fn the_base_of_a_comparison_is_known() {
        let s = "Trade reached $4 billion, 24% more than in 2021.";
        assert!(is_comparison_base(s, s.find("2021").unwrap_or(0)));
        let s = "Товарооборот вырос на 10% по сравнению с 2021 годом.";
        assert!(is_comparison_base(s, s.find("2021").unwrap_or(0)));
        let s = "Exports were $1 billion, 70 percent more compared to the same period in 2021.";
        assert!(is_comparison_base(s, s.find("2021").unwrap_or(0)));
        let s = "Trade reached $4 billion in 2021.";
        assert!(!is_comparison_base(s, s.find("2021").unwrap_or(0)));
    }
}
