//! The year or part of a year a figure is for. Rules, first that applies wins:
//! the clause's own period or date, a period or date heading the sentence in a clause with
//! no figure of its own ("In 2019, …", "в 2020 году — 720,1 млн"), the sentence's only
//! year, then the year the passage was talking about. A figure "a year earlier" is then
//! moved to the year before the sentence's own.

use chrono::{Datelike, NaiveDate};

use super::sentence::{is_dateline, month_period, nearest_date, Sentence};
use super::{decide, Carry, Figure, Rule};
use crate::extract::{DateMention, Grain, Period};

/// A figure's year, and the part of it when the text gives one.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct When {
    pub year: Option<i32>,
    pub period: Option<Period>,
}

const RULES: &[Rule<When>] = &[
    ("same-period", same_period),
    ("clause-period", clause_period),
    ("clause-date", clause_date),
    ("header-period", header_period),
    ("header-date", header_date),
    ("sentence-year", sentence_year),
    ("compared-sentence-year", compared_sentence_year),
    ("previous-sentence", previous_sentence),
    ("title-period", title_period_rule),
    ("lead-period", lead_period_rule),
];

pub(super) fn resolve(f: &Figure, why: &mut Vec<&'static str>) -> When {
    let mut w = match decide(RULES, f) {
        Some((w, name)) => {
            why.push(name);
            w
        }
        None => When::default(),
    };
    if let Some(y) = year_earlier(f) {
        why.push("year-earlier");
        w.year = Some(y);
    }
    w
}

fn period_when(p: &Period) -> When {
    When {
        year: Some(p.year),
        period: Some(p.clone()),
    }
}

/// "In January–September 2021, trade … amounted to $2.9 billion".
fn clause_period(f: &Figure) -> Option<When> {
    let s = f.s;
    s.periods
        .iter()
        .find(|p| s.clause_of(p.start) == f.clause)
        .map(|p| period_when(p))
}

/// The year of the date nearest the figure among `dates`, and its month if it gives one.
fn nearest_when<'a>(f: &Figure, dates: impl Iterator<Item = &'a DateMention>) -> Option<When> {
    let d = nearest_date(dates, f.m)?;
    Some(When {
        year: Some(d.date.year),
        period: month_period(d),
    })
}

/// "$2.9 billion in 2019 and $2.6 billion in 2020": the nearest date of the clause.
fn clause_date(f: &Figure) -> Option<When> {
    let s = f.s;
    nearest_when(
        f,
        s.dates
            .iter()
            .filter(|d| s.clause_of(d.start) == f.clause && !is_dateline(s, d))
            .copied(),
    )
}

/// "За январь–июнь 2023 года, …": a period before the figure, in a clause with no figure.
fn header_period(f: &Figure) -> Option<When> {
    let s = f.s;
    s.periods
        .iter()
        .find(|p| !s.clause_has_money(s.clause_of(p.start)) && p.start < f.m.start)
        .map(|p| period_when(p))
}

/// "в 2020 году — 720,1 млн": the nearest year before the figure in a clause with no figure.
fn header_date(f: &Figure) -> Option<When> {
    let s = f.s;
    nearest_when(
        f,
        s.dates
            .iter()
            .filter(|d| {
                !s.clause_has_money(s.clause_of(d.start))
                    && d.start < f.m.start
                    && !is_dateline(s, d)
            })
            .copied(),
    )
}

/// The one year the sentence names, with its period if it states one.
fn sentence_year(f: &Figure) -> Option<When> {
    match f.s.years.as_slice() {
        [y] => Some(When {
            year: Some(*y),
            period: f.s.periods.first().map(|p| (*p).clone()),
        }),
        _ => None,
    }
}

/// "Exports climbed to $312 million last year from $249 million in 2021, while imports
/// amounted to $358 million": in a sentence that compares a year with an earlier one, a
/// clause that names no year speaks of the year the sentence is about, its first.
fn compared_sentence_year(f: &Figure) -> Option<When> {
    let s = f.s;
    if s.years.len() != 2 || !is_comparison(s) {
        return None;
    }
    let first = s
        .dates
        .iter()
        .filter(|d| !is_dateline(s, d))
        .map(|d| (d.start, d.date.year))
        .chain(s.periods.iter().map(|p| (p.start, p.year)))
        .min()?;
    Some(When {
        year: Some(first.1),
        period: None,
    })
}

/// A sentence that sets one figure against an earlier one: a comparison word, or "from"
/// right before a figure ("climbed to X from Y").
pub(super) fn is_comparison(s: &Sentence) -> bool {
    super::cues::COMPARED.is_in(s.text)
        || s.money.iter().any(|m| {
            let before = s.text[..s.rel(m.start)].trim_end();
            let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            matches!(word.to_lowercase().as_str(), "from" | "с" | "со")
        })
}

/// A sentence that names no year speaks of the year (and the part of it) the passage was
/// talking about: "… $700 million in January–June 2023. Exports accounted for $500 million."
fn previous_sentence(f: &Figure) -> Option<When> {
    if !f.s.years.is_empty() {
        return None;
    }
    let year = f.carry.year?;
    Some(When {
        year: Some(year),
        period: f.carry.period.clone().filter(|p| p.year == year),
    })
}

/// "In the specified period, exports amounted to …", "за указанный период": the period
/// stated before it in the sentence, else the previous sentence's, else the title's.
fn same_period(f: &Figure) -> Option<When> {
    let s = f.s;
    let cue = s
        .cues
        .same_period
        .iter()
        .find(|&&(a, _)| a >= f.cs && a < f.ce)?;
    if let Some(p) = s.periods.iter().rfind(|p| s.rel(p.end) <= cue.0) {
        return Some(period_when(p));
    }
    f.carry
        .period
        .as_ref()
        .or(f.doc.title_period.as_ref())
        .map(period_when)
}

/// A figure nothing else dates, under a title that names a part of a year.
fn title_period_rule(f: &Figure) -> Option<When> {
    if !f.s.years.is_empty() {
        return None;
    }
    f.doc.title_period.as_ref().map(period_when)
}

/// "$1.0 billion a year earlier", "против 448,9 млн долларов годом ранее": the year before
/// the sentence's first.
fn year_earlier(f: &Figure) -> Option<i32> {
    let window_end = f.s.text[f.end..]
        .char_indices()
        .nth(30)
        .map_or(f.s.text.len(), |(i, _)| f.end + i);
    let cue =
        f.s.cues
            .year_earlier
            .iter()
            .find(|&&(a, b)| a >= f.end && b <= window_end)?;
    // "$670.5 million, up 14% on the year before": the earlier year is the base of the
    // change, not the figure's year.
    if f.s.percents.iter().any(|p| {
        let a = f.s.rel(p.start);
        a >= f.end && a < cue.0
    }) {
        return None;
    }
    f.s.years.first().map(|y| y - 1)
}

/// The year a passage is talking about carries into the sentences after it that name none
/// ("Trade in 2022 was … Exports were …"). A sentence with several years resets it, unless
/// the others are only compared with ("in 2023, up 14% compared with 2022"): then its first
/// year is the one it is about.
pub(super) fn carry_into_next(s: &Sentence, carry: &mut Carry) {
    let mut mentions: Vec<(usize, i32)> = s
        .dates
        .iter()
        .filter(|d| d.date.grain() == Grain::Year && !is_dateline(s, d))
        .map(|d| (d.start, d.date.year))
        .chain(s.periods.iter().map(|p| (p.start, p.year)))
        .collect();
    mentions.sort_unstable();
    let years = super::sentence::dedup(mentions.iter().map(|&(_, y)| y));
    match years.len() {
        0 => {}
        1 => carry.year = Some(years[0]),
        2 if is_comparison(s) => carry.year = Some(years[0]),
        _ => carry.year = None,
    }
    if let Some(p) = s.periods.first() {
        carry.period = Some((*p).clone());
    } else if !years.is_empty() {
        carry.period = None;
    }
}

/// A figure nothing in its passage dates, in a document whose lead is about one part of a
/// year: "Its data show that Cambodian exports to Vietnam accounted for $3.27 billion".
fn lead_period_rule(f: &Figure) -> Option<When> {
    if !f.s.years.is_empty() || f.carry.year.is_some() {
        return None;
    }
    f.doc.lead_period.as_ref().map(period_when)
}

/// A part of a year the document's title states. A title that leaves out the year
/// ("… in January–July") means the publication's year when the period is over by then.
pub(super) fn title_period(title: &str, published: Option<NaiveDate>) -> Option<Period> {
    if let Some(p) = crate::extract::dates::find_periods(title)
        .into_iter()
        .next()
    {
        return Some(p);
    }
    let published = published?;
    // Only a title with a month or period word can state a part of a year without a year.
    let lower = title.to_lowercase();
    const PERIOD_WORDS: &[&str] = &[
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "half",
        "quarter",
        "month",
        "янв",
        "фев",
        "мар",
        "апр",
        "мая",
        "июн",
        "июл",
        "авг",
        "сен",
        "окт",
        "ноя",
        "дек",
        "полугод",
        "квартал",
        "месяц",
    ];
    if !PERIOD_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let dated = format!("{title} {}", published.year());
    crate::extract::dates::find_periods(&dated)
        .into_iter()
        .find(|p| p.end == dated.len() && p.to_month < published.month())
        .map(|p| Period {
            start: 0,
            end: 0,
            ..p
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::explained;

    /// (year, months, rules) of each figure.
    /// A figure's year, its months, and the rules that decided.
    type Found = (Option<i32>, Option<(u32, u32)>, String);

    fn whens(text: &str) -> Vec<Found> {
        explained(text, "")
            .into_iter()
            .map(|(m, why)| {
                (
                    m.year,
                    m.period.map(|p| (p.from_month, p.to_month)),
                    why.year.join("+"),
                )
            })
            .collect()
    }

    #[test]
    fn a_period_in_the_figures_clause_dates_it() {
        assert_eq!(
            whens("In January-September 2021, trade between Armenia and Georgia amounted to $2.9 billion."),
            vec![(Some(2021), Some((1, 9)), "header-period".into())]
        );
        assert_eq!(
            whens("Trade between Armenia and Georgia amounted to $2.9 billion in January-September 2021."),
            vec![(Some(2021), Some((1, 9)), "clause-period".into())]
        );
    }

    #[test]
    fn each_figure_of_a_list_takes_its_nearest_year() {
        assert_eq!(
            whens("Trade was $90.8 million in 2000 and $120.8 million in 2001."),
            vec![
                (Some(2000), None, "clause-date".into()),
                (Some(2001), None, "clause-date".into())
            ]
        );
    }

    #[test]
    fn a_year_heading_a_dash_takes_the_figure_after_it() {
        let w = whens("Товарооборот в 2019 году составил 925,3 млн долларов, в 2020 году — 720,1 млн долларов.");
        assert_eq!(w[1].0, Some(2020));
    }

    #[test]
    fn a_sentence_without_a_year_takes_the_previous_ones() {
        let w = whens("In 2022 trade between Armenia and Georgia reached $670 million. Exports were $320 million.");
        assert_eq!(w[1], (Some(2022), None, "previous-sentence".into()));
    }

    #[test]
    fn a_figure_a_year_earlier_is_the_year_before() {
        let w = whens("Trade between Kenya and Uganda rose to $1.2 billion in 2021, up from $950 million a year earlier.");
        assert_eq!(w[0].0, Some(2021));
        assert_eq!(
            (w[1].0, w[1].2.ends_with("year-earlier")),
            (Some(2020), true)
        );
    }
}
