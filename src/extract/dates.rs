//! Dates at the grain the text gives them (`October 15, 1992`, `15 октября 1992 года`,
//! `25.12.2003`, `2003-12-25`, `October 1992`, `in 2003`, `2003 году`, `last year`) and
//! the part-year periods a figure can cover (`January-September 2021`, `first half of
//! 2019`, `H1 2019`, `Q3 2020`, `за 9 месяцев 2023 года`).

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::numeric_dates::{self, DateOrder};
use super::numwords;
use super::{DateMention, PartialDate, Period};

const EN_MONTH: &str = r"January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
/// Russian month names in every case, then their abbreviations ("мар.", "ноя").
const RU_MONTH: &str = r"январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]|янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек";
/// Genitive month names: "15 октября" is a date even without a year.
const RU_MONTH_GENITIVE: &str = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек";
const RU_YEAR_WORD: &str = r"(?:\s*(?:года|году|год|гг?\.?))?";
/// A day of the month: digits with an optional English ordinal ending or a closing dot
/// ("08. Sep"), the first of a span of days ("Jan 8-9", "20-22 ноября"), or an ordinal word.
fn day() -> String {
    format!(
        r"(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?[-–]\s?\d{{1,2}}(?:st|nd|rd|th)?)?\.?|(?P<dw>{}))",
        numwords::ORDINAL_DAY
    )
}

/// How many of [`DAY_RES`] (the first ones) carry a year.
const DATED_PATTERNS: usize = 4;
/// The one of them whose year may have two digits ("31-Oct-74").
const SHORT_YEAR_PATTERN: usize = 2;

/// Day-grain patterns. The year may be missing ("the 14th of April", "24 ноя"): such a date
/// takes its year from the document's publication date.
static DAY_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    // Ordinal words and Russian months make large automata: room for their states keeps
    // the regex engine on its fast path.
    let r = |s: String| {
        regex::RegexBuilder::new(&s)
            .dfa_size_limit(16 << 20)
            .build()
            .expect("date regex")
    };
    let d = day();
    vec![
        r(format!(
            r"(?i:(?-u:\b)(?P<m>{EN_MONTH})\.?\s+(?:the\s+)?{d},?\s+(?P<y>\d{{4}})(?-u:\b))"
        )),
        r(format!(
            r"(?i:(?-u:\b)(?:the\s+)?{d}\s+(?:of\s+)?(?P<m>{EN_MONTH})\.?,?\s+(?P<y>\d{{4}})(?-u:\b))"
        )),
        r(format!(
            r"(?i:(?-u:\b)(?P<d>\d{{1,2}})-(?P<m>{EN_MONTH})-(?P<y>\d{{4}}|\d{{2}})(?-u:\b))"
        )),
        r(format!(
            r"(?i:(?:^|[\s(«“„']){d}\s+(?P<m>{RU_MONTH})\.?,?\s+(?P<y>\d{{4}}){RU_YEAR_WORD})"
        )),
        r(format!(
            r"(?i:(?-u:\b)(?:the\s+)?{d}\s+(?:of\s+)?(?P<m>{EN_MONTH})(?-u:\b)\.?)"
        )),
        r(format!(
            r"(?i:(?-u:\b)(?P<m>{EN_MONTH})\.?\s+(?:the\s+)?(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)|(?P<dw>{})|(?P<d2>\d{{1,2}})[,;.)])(?:\s|$))",
            numwords::ORDINAL_DAY
        )),
        r(format!(
            r"(?i:(?:^|[\s(«“„']){d}\s+(?P<m>{RU_MONTH_GENITIVE})(?:[\s.,;:!?)»”]|$))"
        )),
    ]
});

static MONTH_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        Regex::new(&format!(
            r"(?i:(?-u:\b)(?P<m>{EN_MONTH})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})(?-u:\b))"
        ))
        .expect("month regex"),
        Regex::new(&format!(
            r"(?i:(?P<m>{RU_MONTH})\s+(?P<y>\d{{4}}){RU_YEAR_WORD})"
        ))
        .expect("ru month regex"),
    ]
});

static YEAR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(?P<y>1[89]\d\d|20\d\d)(?-u:\b)").expect("year regex"));

static RELATIVE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<en>last|this|next|previous|current|the following|the previous|the past)\s+year(?:'s)?(?-u:\b)|(?P<ru>в\s+(?:прошлом|прошедшем|этом|текущем|следующем|будущем|минувшем)\s+году|(?:прошлого|прошедшего|минувшего|текущего|этого|следующего)\s+года|за\s+(?:прошлый|прошедший|минувший|текущий|этот)\s+год)")
        .expect("relative year regex")
});

static PERIOD_RES: LazyLock<Vec<(Regex, PeriodKind)>> = LazyLock::new(|| {
    let r = |s: String| Regex::new(&s).expect("period regex");
    vec![
        (r(format!(r"(?i:(?-u:\b)(?P<m1>{EN_MONTH})\.?\s*(?:-|–|—|to|through|till|until)\s*(?P<m2>{EN_MONTH})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})(?-u:\b))")), PeriodKind::MonthRange),
        (r(format!(r"(?i:(?P<m1>{RU_MONTH})\s*(?:-|–|—)\s*(?P<m2>{RU_MONTH})\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::MonthRange),
        // "between January and August 2021", "с января по август 2021 года".
        (r(format!(r"(?i:(?-u:\b)between\s+(?P<m1>{EN_MONTH})\.?\s+and\s+(?P<m2>{EN_MONTH})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})(?-u:\b))")), PeriodKind::MonthRange),
        (r(format!(r"(?i:с\s+(?P<m1>{RU_MONTH})\s+по\s+(?P<m2>{RU_MONTH})\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::MonthRange),
        (r(r"(?i:(?-u:\b)(?P<h>first|second|1st|2nd)\s+half\s+of\s+(?:the\s+year\s+)?(?P<y>\d{4})(?-u:\b))".into()), PeriodKind::Half),
        (r(r"(?-u:\b)H(?P<h>[12])\s*(?P<y>\d{4})(?-u:\b)".into()), PeriodKind::Half),
        (r(format!(r"(?i:(?P<h>перв\w*|втор\w*|1-?м|2-?м|I|II)\s+полугоди\w*\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::Half),
        (r(r"(?i:(?-u:\b)(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of\s+(?P<y>\d{4})(?-u:\b))".into()), PeriodKind::Quarter),
        (r(r"(?-u:\b)Q(?P<q>[1-4])\s*(?P<y>\d{4})(?-u:\b)".into()), PeriodKind::Quarter),
        (r(format!(r"(?i:(?P<q>перв\w*|втор\w*|трет\w*|четверт\w*|I|II|III|IV)\s+квартал\w*\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::Quarter),
        (r(r"(?i:(?-u:\b)(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\s+(?:of\s+)?(?P<y>\d{4})(?-u:\b))".into()), PeriodKind::Months),
        (r(format!(r"(?i:(?-u:\b)(?P<n>\d{{1,2}})\s+(?:месяц\w*|мес\.)\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::Months),
        // "первые пять месяцев 2023 года": Russian number words (no ASCII word boundary).
        (r(format!(r"(?i:(?P<n>{RU_MONTH_COUNT})\s+(?:месяц\w*|мес\.)\s+(?P<y>\d{{4}}){RU_YEAR_WORD})")), PeriodKind::Months),
    ]
});

/// Russian words for two to eleven months, both cases ("пять", "пяти").
const RU_MONTH_COUNT: &str = "двух|два|тр[её]х|три|четыр[её]х|четыре|пяти|пять|шести|шесть|семи|семь|восьми|восемь|девяти|девять|десяти|десять|одиннадцати|одиннадцать";

/// The number a word of [`RU_MONTH_COUNT`] says.
fn ru_month_count(word: &str) -> Option<u32> {
    const STEMS: [&str; 10] = [
        "дв",
        "тр",
        "четыр",
        "пят",
        "шест",
        "сем",
        "восем",
        "девят",
        "десят",
        "одиннадцат",
    ];
    let w = word.replace('ё', "е");
    // "восемь"/"восьми" and "семь"/"семи": the longer stem first.
    let w = w.replace("восьм", "восем");
    STEMS
        .iter()
        .enumerate()
        .filter(|(_, s)| w.starts_with(*s))
        .max_by_key(|(_, s)| s.len())
        .map(|(i, _)| i as u32 + 2)
}

#[derive(Clone, Copy)]
enum PeriodKind {
    MonthRange,
    Half,
    Quarter,
    Months,
}

/// Month number from an English or Russian month name (any case, any Russian ending).
pub fn month_number(name: &str) -> Option<u32> {
    let l = name.to_lowercase();
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const RU: [&str; 12] = [
        "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    ];
    if let Some(i) = EN.iter().position(|p| l.starts_with(p)) {
        return Some(i as u32 + 1);
    }
    RU.iter()
        .position(|p| l.starts_with(p))
        .map(|i| i as u32 + 1)
}

/// What the digits of a text allow, from one pass over its bytes: most text has no year
/// and no digit at all, and then most date regexes need not run over it.
#[derive(Default)]
struct Shape {
    /// Any ASCII digit.
    digit: bool,
    /// Four ASCII digits in a row: every dated pattern but the relative ones needs a year.
    year: bool,
    /// A digit, a dash and a letter ("31-Oct-74").
    digit_dash_letter: bool,
}

fn shape(text: &str) -> Shape {
    let b = text.as_bytes();
    let mut s = Shape::default();
    let mut run = 0;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            s.digit = true;
            run += 1;
            s.year |= run >= 4;
            if b.get(i + 1) == Some(&b'-') && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                s.digit_dash_letter = true;
            }
        } else {
            run = 0;
        }
    }
    s
}

/// True when `text` has four ASCII digits in a row.
fn has_year_digits(text: &str) -> bool {
    shape(text).year
}

fn plausible_year(y: i32) -> bool {
    (1800..=2100).contains(&y)
}

fn overlaps(taken: &[(usize, usize)], s: usize, e: usize) -> bool {
    taken.iter().any(|&(a, b)| s < b && a < e)
}

/// "may" is a month only when capitalised: "trade may reach 2 billion" is not May.
fn is_lowercase_may(text: &str, start: usize) -> bool {
    text[start..].starts_with("may")
}

/// A day-grain date from one match of [`DAY_RES`]; a match without a year takes the year
/// that puts it within ten months before and two months after the publication date.
fn day_date(
    text: &str,
    caps: &regex::Captures,
    published: Option<NaiveDate>,
) -> Option<DateMention> {
    let mon = caps.name("m")?;
    if is_lowercase_may(text, mon.start()) {
        return None;
    }
    let month = month_number(mon.as_str())?;
    let day_group = caps
        .name("d")
        .or_else(|| caps.name("dw"))
        .or_else(|| caps.name("d2"))?;
    let day = match caps.name("dw") {
        Some(w) => numwords::ordinal_day(w.as_str())?,
        None => day_group.as_str().parse::<u32>().ok()?,
    };
    let (year, relative) = match caps.name("y") {
        Some(y) => (numeric_dates::full_year(y.as_str())?, false),
        None => (year_near(published?, month, day)?, true),
    };
    if !plausible_year(year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)?;
    let start = day_group.start().min(mon.start());
    // The span ends with the last field: the year (and a Russian year word) or the month.
    let m = caps.get(0)?;
    let end = match caps.name("y") {
        Some(_) => m.end(),
        None => mon.end().max(day_group.end()),
    };
    let raw = text[start..end].trim_end();
    Some(DateMention {
        date: PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        },
        text: raw.to_string(),
        start,
        end: start + raw.len(),
        relative,
    })
}

/// The year that puts `month`/`day` between ten months before and two months after `published`.
fn year_near(published: NaiveDate, month: u32, day: u32) -> Option<i32> {
    let y = published.year();
    let candidate = NaiveDate::from_ymd_opt(y, month, day)?;
    if candidate > published + chrono::Days::new(62) {
        Some(y - 1)
    } else {
        Some(y)
    }
}

/// Finds part-year periods.
pub fn find_periods(text: &str) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    if !has_year_digits(text) {
        return out;
    }
    for (re, kind) in PERIOD_RES.iter() {
        for caps in re.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            let Some(year) = caps.name("y").and_then(|y| y.as_str().parse::<i32>().ok()) else {
                continue;
            };
            if !plausible_year(year) || out.iter().any(|p| m.start() < p.end && p.start < m.end()) {
                continue;
            }
            let months = match kind {
                PeriodKind::MonthRange => {
                    let a = caps.name("m1").and_then(|x| month_number(x.as_str()));
                    let b = caps.name("m2").and_then(|x| month_number(x.as_str()));
                    match (a, b) {
                        (Some(a), Some(b)) if a < b => (a, b),
                        _ => continue,
                    }
                }
                PeriodKind::Half => {
                    let h = caps.name("h").map_or("", |x| x.as_str()).to_lowercase();
                    let second = h.starts_with("second")
                        || h.starts_with("2")
                        || h.starts_with("втор")
                        || h == "ii";
                    if second {
                        (7, 12)
                    } else {
                        (1, 6)
                    }
                }
                PeriodKind::Quarter => {
                    let q = caps.name("q").map_or("", |x| x.as_str()).to_lowercase();
                    let n = match q.as_str() {
                        "1" | "first" | "1st" | "i" => 1,
                        "2" | "second" | "2nd" | "ii" => 2,
                        "3" | "third" | "3rd" | "iii" => 3,
                        "4" | "fourth" | "4th" | "iv" => 4,
                        s if s.starts_with("перв") => 1,
                        s if s.starts_with("втор") => 2,
                        s if s.starts_with("трет") => 3,
                        s if s.starts_with("четв") => 4,
                        _ => continue,
                    };
                    (n * 3 - 2, n * 3)
                }
                PeriodKind::Months => {
                    let raw = caps.name("n").map_or("", |x| x.as_str()).to_lowercase();
                    let n = raw
                        .parse::<u32>()
                        .ok()
                        .or_else(|| {
                            [
                                "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                "ten", "eleven",
                            ]
                            .iter()
                            .position(|w| *w == raw)
                            .map(|i| i as u32 + 2)
                        })
                        .or_else(|| ru_month_count(&raw));
                    match n {
                        Some(n) if (1..12).contains(&n) => (1, n),
                        _ => continue,
                    }
                }
            };
            out.push(Period {
                year,
                from_month: months.0,
                to_month: months.1,
                text: m.as_str().to_string(),
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// Finds dates. `published` resolves relative years ("last year"); without it they are
/// skipped. Spans inside `exclude` (periods already found) are not reported again.
pub fn find(
    text: &str,
    published: Option<NaiveDate>,
    exclude: &[(usize, usize)],
    order: DateOrder,
) -> Vec<DateMention> {
    let mut taken: Vec<(usize, usize)> = exclude.to_vec();
    let mut out = Vec::new();
    // Only relative years ("last year") and dates without a year (which need the
    // publication date) can be found in a text without four digits in a row.
    let shape = shape(text);
    let years = shape.year;
    let numeric = if shape.digit {
        numeric_dates::find(text, order)
    } else {
        Vec::new()
    };
    for f in numeric {
        if !overlaps(&taken, f.start, f.end) {
            taken.push((f.start, f.end));
            out.push(DateMention {
                date: f.date,
                text: text[f.start..f.end].to_string(),
                start: f.start,
                end: f.end,
                relative: false,
            });
        }
    }
    let undated = published.is_some();

    for (i, re) in DAY_RES.iter().enumerate() {
        // The first patterns need a year in digits ("31-Oct-74" may have two); the rest
        // need a publication date.
        let runs = match i {
            SHORT_YEAR_PATTERN => shape.digit_dash_letter,
            i if i < DATED_PATTERNS => years,
            _ => undated,
        };
        if !runs {
            continue;
        }
        for caps in re.captures_iter(text) {
            if let Some(d) = day_date(text, &caps, published) {
                if !overlaps(&taken, d.start, d.end) {
                    taken.push((d.start, d.end));
                    out.push(d);
                }
            }
        }
    }
    for re in MONTH_RES.iter().filter(|_| years) {
        for caps in re.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            if overlaps(&taken, m.start(), m.end()) {
                continue;
            }
            if caps
                .name("m")
                .is_some_and(|x| is_lowercase_may(text, x.start()))
            {
                continue;
            }
            let month = caps.name("m").and_then(|x| month_number(x.as_str()));
            let year = caps.name("y").and_then(|y| y.as_str().parse::<i32>().ok());
            let (Some(month), Some(year)) = (month, year) else {
                continue;
            };
            if !plausible_year(year) {
                continue;
            }
            taken.push((m.start(), m.end()));
            out.push(DateMention {
                date: PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                },
                text: m.as_str().trim_end().to_string(),
                start: m.start(),
                end: m.start() + m.as_str().trim_end().len(),
                relative: false,
            });
        }
    }
    if years {
        find_years(text, &mut taken, &mut out);
    }
    if let Some(pub_date) = published {
        for caps in RELATIVE_RE.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            if overlaps(&taken, m.start(), m.end()) {
                continue;
            }
            let l = m.as_str().to_lowercase();
            // "over the past year" is the last twelve months: the calendar year before only
            // early in the year.
            if l.contains("past") && pub_date.month() > 3 {
                continue;
            }
            let delta = if l.contains("last")
                || l.contains("past")
                || l.contains("previous")
                || l.contains("прошл")
                || l.contains("прошедш")
                || l.contains("минувш")
            {
                -1
            } else if l.contains("next")
                || l.contains("following")
                || l.contains("следующ")
                || l.contains("будущ")
            {
                1
            } else {
                0
            };
            out.push(DateMention {
                date: PartialDate {
                    year: pub_date.year() + delta,
                    month: None,
                    day: None,
                },
                text: m.as_str().to_string(),
                start: m.start(),
                end: m.end(),
                relative: true,
            });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Era {
    /// "AD", "A.D.", "CE", "н. э.": the year is one of ours; the marker's length in bytes.
    Ad(usize),
    /// "BC", "до н. э.": not a date this calendar answers.
    Bc,
}

/// The era marker right after a year.
fn era_after(after: &str) -> Option<Era> {
    for bc in ["BC", "B.C.", "BCE", "до н. э.", "до н.э."] {
        if after.starts_with(bc) {
            return Some(Era::Bc);
        }
    }
    ["A.D.", "AD", "CE", "н. э.", "н.э."]
        .iter()
        .find(|w| {
            after.starts_with(**w)
                && after[w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|w| Era::Ad(w.len()))
}

/// Bare years count as dates only where the text uses them as a time: after a preposition
/// ("in 2003", "since 2000", "в 2003"), before a Russian year word ("2003 году"), or in a
/// list with such a year. A span of years ("2023-2024 season") is not a date.
fn find_years(text: &str, taken: &mut Vec<(usize, usize)>, out: &mut Vec<DateMention>) {
    const BEFORE: &[&str] = &[
        "in",
        "since",
        "by",
        "from",
        "to",
        "until",
        "till",
        "through",
        "during",
        "year",
        "of",
        "between",
        "for",
        "early",
        "late",
        "mid",
        "before",
        "after",
        "around",
        "as",
        "в",
        "с",
        "со",
        "по",
        "до",
        "к",
        "от",
        "на",
        "за",
        "начале",
        "конце",
        "середине",
        "после",
        "года",
    ];
    let mut accepted_prev: Option<usize> = None;
    for caps in YEAR_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if overlaps(taken, m.start(), m.end()) {
            continue;
        }
        let before = &text[..m.start()];
        let after = &text[m.end()..];
        // Part of a span, a number, an amount, a code or a measurement.
        let mut next = after.chars();
        let mut prev = before.chars().rev();
        let joiner = |c: Option<char>| {
            c.is_some_and(|c| matches!(c, '-' | '–' | '—' | '/' | '.' | ',' | '%' | '+'))
        };
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let (n1, n2) = (next.next(), next.next());
        let (p1, p2) = (prev.next(), prev.next());
        if joiner(n1) && n1 != Some('%') && digit(n2)
            || n1 == Some('%')
            || joiner(p1) && digit(p2)
            || p1.is_some_and(|c| matches!(c, '$' | '€' | '£' | '№' | '#'))
        {
            continue;
        }
        let Ok(year) = m.as_str().parse::<i32>() else {
            continue;
        };
        let prev_word: String = before
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
            .to_lowercase();
        let after_trim = after.trim_start();
        let next_is_ru_year = ["года", "году", "год", "г.", "г ", "гг"]
            .iter()
            .any(|w| after_trim.to_lowercase().starts_with(w))
            || after_trim == "г";
        let gap = before.len() - before.trim_end().len();
        let prev_ok = BEFORE.contains(&prev_word.as_str()) && gap <= 2;
        // "in 2000, 2001 and 2002": a year right after an accepted one and a list joiner.
        let in_list = accepted_prev.is_some_and(|p| {
            let between = text[p..m.start()].trim().to_lowercase();
            matches!(
                between.as_str(),
                "," | "and" | "or" | ", and" | "и" | "или" | ", и" | "-" | "–"
            )
        });
        let starts_sentence = {
            let t = before.trim_end();
            t.is_empty()
                || t.ends_with(['.', '!', '?', ':', '\n', '('])
                    && after_trim.starts_with([',', ' ', ':'])
        };
        let followed_by_unit = {
            let w: String = after_trim
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect::<String>()
                .to_lowercase();
            matches!(
                w.as_str(),
                "km" | "kg"
                    | "m"
                    | "people"
                    | "tons"
                    | "tonnes"
                    | "units"
                    | "persons"
                    | "человек"
                    | "тонн"
                    | "км"
                    | "s"
            )
        };
        // "Trade: 2019 – $1.0 billion; 2020 – $1.1 billion": a year heading an item of a list.
        let list_item = before.trim_end().ends_with([':', ';'])
            && after.starts_with(' ')
            && after_trim.starts_with(['-', '–', '—']);
        // "(2021)": a year in brackets dates what precedes it.
        let bracketed = before.ends_with('(') && after.starts_with(')');
        let era = era_after(after_trim);
        if era == Some(Era::Bc) {
            continue;
        }
        if (prev_ok
            || next_is_ru_year
            || in_list
            || starts_sentence
            || list_item
            || bracketed
            || era.is_some())
            && !followed_by_unit
        {
            let mut end = m.end();
            if let Some(Era::Ad(len)) = era {
                end = m.end() + (after.len() - after_trim.len()) + len;
            }
            if next_is_ru_year {
                let ws = after.len() - after_trim.len();
                let word_len: usize = after_trim
                    .char_indices()
                    .find(|(_, c)| !(c.is_alphabetic() || *c == '.'))
                    .map_or(after_trim.len(), |(i, _)| i);
                end = m.end() + ws + word_len;
            }
            taken.push((m.start(), end));
            accepted_prev = Some(end);
            out.push(DateMention {
                date: PartialDate {
                    year,
                    month: None,
                    day: None,
                },
                text: text[m.start()..end].to_string(),
                start: m.start(),
                end,
                relative: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str) -> Vec<String> {
        find(s, NaiveDate::from_ymd_opt(2024, 4, 17), &[], DateOrder::Dmy)
            .into_iter()
            .map(|d| d.date.to_string())
            .collect()
    }

    #[test]
    fn grains() {
        assert_eq!(
            dates("established on October 15, 1992."),
            vec!["1992-10-15"]
        );
        assert_eq!(dates("signed on 8 April 1997"), vec!["1997-04-08"]);
        assert_eq!(dates("15 октября 1992 года"), vec!["1992-10-15"]);
        assert_eq!(
            dates("25.12.2003 and 2003-12-25"),
            vec!["2003-12-25", "2003-12-25"]
        );
        assert_eq!(dates("in October 1992"), vec!["1992-10"]);
        assert_eq!(dates("в октябре 1992 года"), vec!["1992-10"]);
        assert_eq!(dates("in 2003"), vec!["2003"]);
        assert_eq!(dates("в 2003 году"), vec!["2003"]);
        assert_eq!(dates("2.5 billion dollars (2021)."), vec!["2021"]);
        assert_eq!(dates("last year trade grew"), vec!["2023"]);
        assert_eq!(dates("в прошлом году"), vec!["2023"]);
    }

    #[test]
    fn not_dates() {
        assert!(dates("the 2023-2024 season").is_empty());
        assert!(dates("Route 66 is 2003 km long").is_empty());
        assert!(dates("call +7 727 2003 1992").is_empty());
        assert!(dates("trade may reach 2000 units").is_empty());
    }

    #[test]
    fn multibyte_neighbours_do_not_panic() {
        // Regression: a year followed by an en dash sliced inside the dash.
        assert!(dates("© 1996–2026 The Group").is_empty());
        // Must not panic; whatever it finds is fine.
        dates("—2003—‑2004‒");
        assert_eq!(dates("в 2003–2005 гг. и в 2010 году"), vec!["2010"]);
    }

    #[test]
    fn year_lists() {
        assert_eq!(
            dates("$90.8 million in 2000, $120.8 million in 2001"),
            vec!["2000", "2001"]
        );
        assert_eq!(
            dates("in 2000, 2001 and 2002"),
            vec!["2000", "2001", "2002"]
        );
    }

    /// (year, first month, last month) of each period found.
    fn months_of(text: &str) -> Vec<(i32, u32, u32)> {
        find_periods(text)
            .iter()
            .map(|p| (p.year, p.from_month, p.to_month))
            .collect()
    }

    #[test]
    fn periods() {
        let got = months_of("in January-September 2021 and the first half of 2019, H2 2020, за январь–март 2022 года, за 9 месяцев 2023 года");
        assert_eq!(
            got,
            vec![
                (2021, 1, 9),
                (2019, 1, 6),
                (2020, 7, 12),
                (2022, 1, 3),
                (2023, 1, 9)
            ]
        );
    }

    #[test]
    fn periods_between_two_months_and_counted_in_russian_words() {
        let got = months_of("between January and August 2021, с января по май 2022 года, за первые пять месяцев 2023 года, восьми месяцев 2020 года, 1st 5 months 2024");
        assert_eq!(
            got,
            vec![
                (2021, 1, 8),
                (2022, 1, 5),
                (2023, 1, 5),
                (2020, 1, 8),
                (2024, 1, 5)
            ]
        );
    }

    #[test]
    fn years_heading_list_items() {
        assert_eq!(
            dates("Trade: 2019 - $1.0 billion; 2020 – $1.1 billion"),
            vec!["2019", "2020"]
        );
        // A number after a colon with no dash is not a year.
        assert!(dates("Code: 2019 units").is_empty());
    }

    #[test]
    fn relative_years_in_every_case() {
        let on = NaiveDate::from_ymd_opt(2024, 2, 1);
        for (text, year) in [
            ("по итогам минувшего года", 2023),
            ("за прошлый год", 2023),
            ("в текущем году", 2024),
            ("last year's trade", 2023),
            ("over the past year", 2023),
        ] {
            let got: Vec<i32> = find(text, on, &[], DateOrder::Dmy)
                .iter()
                .map(|d| d.date.year)
                .collect();
            assert_eq!(got, vec![year], "{text}");
        }
        // In the middle of a year, "the past year" is the last twelve months, not a year.
        assert!(find(
            "over the past year",
            NaiveDate::from_ymd_opt(2024, 7, 1),
            &[],
            DateOrder::Dmy
        )
        .is_empty());
    }
}
