//! The share a figure states of a whole, and the whole. Rules: a percentage joined to the
//! figure ("X, or 8.3%", "X (8.3%)") is its share; the whole is the earlier figure joined by
//! "of which", or the next one joined by "of" ("or 0.7% of the $8.4 billion …"); with a
//! whole and no percentage the share is computed; with a percentage and no whole, the whole
//! is computed from it.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::CueHits;
use super::sentence::Sentence;
use super::Figure;
use crate::extract::{Money, Percent};

static SHARE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:in|for|в|за)\s+\d{4}(?:\s*(?:году|года|г\.))?)?\s*(?:\(|,|—|–|-)?\s*(?:or|i\.e\.|that is|which is|или|что составляет|это)?\s*(?:about|around|almost|nearly|около|почти)?\s*$")
        .expect("share link regex")
});

/// How the figures of one sentence link to its percentages and to each other.
pub(super) struct Links<'a> {
    /// For each percentage of the sentence, the change it states (signed), if it is one.
    pub change: Vec<Option<f64>>,
    /// The percentage each figure states of a whole.
    pub linked: Vec<Option<&'a Percent>>,
    /// For each figure, the next figure when it is the whole ("X, or 0.7% of $8.4 billion").
    pub whole_after: Vec<Option<usize>>,
}

impl<'a> Links<'a> {
    pub(super) fn of(s: &Sentence<'a>) -> Self {
        let len = s.text.len();
        let change: Vec<Option<f64>> = s.percents.iter().map(|p| change_of(s, p)).collect();
        let linked: Vec<Option<&Percent>> = s
            .money
            .iter()
            .map(|m| {
                // Growth is not a share: "$670.5 million, 14% more than a year earlier".
                s.percents
                    .iter()
                    .zip(&change)
                    .find(|(p, _)| {
                        p.start >= m.end
                            && SHARE_LINK.is_match(&s.text[s.rel(m.end).min(len)..s.rel(p.start)])
                    })
                    .and_then(|(p, c)| c.is_none().then_some(*p))
                    .or_else(|| share_before(s, m, &change))
            })
            .collect();
        let whole_after = (0..s.money.len())
            .map(|i| {
                let p = linked[i]?;
                let next = s.money.get(i + 1)?;
                let between = s.text.get(s.rel(p.end)..s.rel(next.start))?;
                let b = between.trim_start().to_lowercase();
                (between.len() < 90
                    && (b.starts_with("of ") || b.starts_with("от ") || b.starts_with("из ")))
                .then_some(i + 1)
            })
            .collect();
        Links {
            change,
            linked,
            whole_after,
        }
    }
}

/// "Uganda accounted for 12.5% of Kenya's exports, or $870 million", "на Грузию пришлось
/// 5,6% оборота Армении, или 670 млн долларов": the share stated before the figure, when the
/// figure follows it with "or" and no other figure stands between.
fn share_before<'a>(s: &Sentence<'a>, m: &Money, change: &[Option<f64>]) -> Option<&'a Percent> {
    let head = s.text[..s.rel(m.start)].trim_end().to_lowercase();
    if !(head.ends_with(", or") || head.ends_with(", или")) {
        return None;
    }
    let (p, c) = s
        .percents
        .iter()
        .zip(change)
        .rfind(|(p, _)| p.end <= m.start)?;
    let between_figure = s.money.iter().any(|o| o.start >= p.end && o.end <= m.start);
    (c.is_none() && !between_figure).then_some(*p)
}

/// Words in `s[a..b]`, or `None` when a figure or another number stands between.
fn plain_words(s: &str, a: usize, b: usize) -> Option<usize> {
    let t = s.get(a.min(b)..b)?;
    (!t.chars().any(|c| c.is_ascii_digit())).then(|| t.split_whitespace().count())
}

/// The change a percentage states: a word of rise or fall just before it ("up 14%", "an
/// increase of 8.5%", "рост на 60%") or right after it ("14% more", "на 14% больше").
fn change_of(s: &Sentence, p: &Percent) -> Option<f64> {
    let (a, b) = (s.rel(p.start), s.rel(p.end));
    let before = s
        .cues
        .change
        .iter()
        .rfind(|c| c.1 <= a && !c.3)
        .filter(|c| plain_words(s.text, c.1, a).is_some_and(|n| n <= 2));
    let after = s
        .cues
        .change
        .iter()
        .find(|c| c.0 >= b)
        .filter(|c| plain_words(s.text, b, c.0).is_some_and(|n| n <= 1));
    let falls = after.or(before)?.2;
    Some(if falls { -p.value } else { p.value })
}

/// A figure's share of a whole.
#[derive(Debug, Default)]
pub(super) struct Share {
    pub percent: Option<f64>,
    /// The percentage was computed from the part and the whole, not written.
    pub computed: bool,
    pub whole: Option<f64>,
    /// This figure is the whole of the figure at that position.
    pub whole_of: Option<usize>,
    /// The change on an earlier period the text states for this figure, in percent.
    pub growth: Option<f64>,
}

pub(super) fn resolve(f: &Figure, links: &Links, why: &mut Vec<&'static str>) -> Share {
    let s = f.s;
    let i = f.i;
    let percent = links.linked[i];
    if percent.is_some() {
        why.push("stated-share");
    }
    let whole = if i > 0 {
        let prev = s.money[i - 1];
        CueHits::any_within(&s.cues.part_of, s.rel(prev.end), f.start).then(|| {
            why.push("part-of-previous");
            prev.amount
        })
    } else {
        None
    };
    let whole = whole.or_else(|| {
        links.whole_after[i].map(|j| {
            why.push("whole-after");
            s.money[j].amount
        })
    });
    let whole_of = i
        .checked_sub(1)
        .filter(|&k| links.whole_after[k] == Some(i));
    let (percent, computed) = match (percent, whole) {
        (Some(p), _) => (Some(p.value), false),
        (None, Some(w)) if w > 0.0 => {
            why.push("computed-share");
            (Some((f.m.amount / w * 1000.0).round() / 10.0), true)
        }
        _ => (None, false),
    };
    let whole = whole.or_else(|| {
        percent.filter(|p| *p > 0.0 && !computed).map(|p| {
            why.push("computed-whole");
            (f.m.amount * 100.0 / p).round()
        })
    });
    let growth = growth_of(f, links);
    if growth.is_some() {
        why.push("stated-change");
    }
    Share {
        percent,
        computed,
        whole,
        whole_of,
        growth,
    }
}

/// The change stated for the figure: a change in its clause, or the only change of a
/// sentence with only one figure ("grew by 23% to $390 million", "$670.5 million, up 14%").
fn growth_of(f: &Figure, links: &Links) -> Option<f64> {
    let s = f.s;
    let changes = s
        .percents
        .iter()
        .zip(&links.change)
        .filter_map(|(p, c)| c.map(|c| (p, c)));
    let mut in_clause = changes
        .clone()
        .filter(|(p, _)| s.clause_of(p.start) == f.clause);
    if let Some((_, c)) = in_clause.next() {
        // The nearest figure of the clause takes it.
        let nearest = s
            .money
            .iter()
            .enumerate()
            .filter(|(_, m)| s.clause_of(m.start) == f.clause)
            .min_by_key(|(_, m)| {
                let p = changes
                    .clone()
                    .find(|(p, _)| s.clause_of(p.start) == f.clause);
                p.map_or(0, |(p, _)| m.start.abs_diff(p.start))
            })
            .map(|(i, _)| i);
        return (nearest == Some(f.i)).then_some(c);
    }
    let all: Vec<f64> = changes.map(|(_, c)| c).collect();
    match (all.as_slice(), s.money.len()) {
        ([c], 1) => Some(*c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::explained;

    /// (percent, computed, whole, rules) of each figure.
    fn shares(text: &str) -> Vec<(Option<f64>, bool, Option<f64>, String)> {
        explained(text, "")
            .into_iter()
            .map(|(m, why)| (m.percent, m.percent_computed, m.whole, why.share.join("+")))
            .collect()
    }

    #[test]
    fn a_stated_share_gives_the_whole_of_which_it_is_part() {
        let s = shares("In 2023 Kyrgyzstan's foreign trade turnover made 15.6 billion US dollars of which 1.3 billion US dollars or 8.3% fell on Kazakhstan.");
        assert_eq!(s[0], (None, false, None, String::new()));
        assert_eq!(
            s[1],
            (
                Some(8.3),
                false,
                Some(15.6e9),
                "stated-share+part-of-previous".into()
            )
        );
    }

    #[test]
    fn a_whole_without_a_percentage_gives_a_computed_share() {
        let s = shares("Georgia's foreign trade reached $20 billion in 2022, of which Armenia accounted for $1 billion.");
        assert_eq!(
            s[1],
            (
                Some(5.0),
                true,
                Some(20e9),
                "part-of-previous+computed-share".into()
            )
        );
    }

    #[test]
    fn a_share_stated_before_the_figure_is_its_share() {
        let s = shares("Uganda accounted for 12.5% of Kenya's exports in 2022, or $870 million.");
        assert_eq!(
            s[0],
            (
                Some(12.5),
                false,
                Some(6.96e9),
                "stated-share+computed-whole".into()
            )
        );
        let s =
            shares("В 2022 году на Грузию пришлось 5,6% оборота Армении, или 670 млн долларов.");
        assert_eq!(s[0].0, Some(5.6));
        // A change is not a share, before the figure or after it.
        let s = shares("Trade grew by 12% in 2022, or $100 million.");
        assert_eq!(s[0].0, None);
    }

    #[test]
    fn a_percentage_alone_gives_a_computed_whole() {
        let s = shares("Trade with Armenia was $1 billion in 2022, or 5% of the total.");
        assert_eq!(
            s[0],
            (
                Some(5.0),
                false,
                Some(20e9),
                "stated-share+computed-whole".into()
            )
        );
    }
}
