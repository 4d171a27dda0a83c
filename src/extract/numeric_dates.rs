//! Dates written in digits: `31.10.1974`, `31/10/74`, `10/31/1974`, `2015-3-3`, `2014/10`,
//! `2/2013`. Which of two small fields is the day is settled by the impossible one ("31/10"
//! can only be day first) and otherwise by the configured [`DateOrder`]. Versions (`2.6.32`),
//! addresses (`192.168.1.1`), fiscal years (`2010/11`) and numbers (`No. 2/2013`) are not
//! dates.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::PartialDate;

/// The order of day and month in an all-digit date when neither field settles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// 03/04/2015 is 3 April (most of the world, and Russian).
    #[default]
    Dmy,
    /// 03/04/2015 is 4 March (the United States).
    Mdy,
}

static DMY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?P<a>\d{1,4})(?P<s1>[./-])(?P<b>\d{1,2})(?P<s2>[./-])(?P<c>\d{1,4})(?-u:\b)",
    )
    .expect("numeric date regex")
});

static MONTH_YEAR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?P<y1>\d{4})/(?P<m1>\d{1,2})|(?P<m2>\d{1,2})/(?P<y2>\d{4}))(?-u:\b)")
        .expect("month/year regex")
});

/// A two-digit year: 00-49 are this century, 50-99 the last.
pub fn full_year(raw: &str) -> Option<i32> {
    let y: i32 = raw.parse().ok()?;
    match raw.len() {
        4 => Some(y),
        2 if y < 50 => Some(2000 + y),
        2 => Some(1900 + y),
        _ => None,
    }
}

fn plausible(y: i32) -> bool {
    (1800..=2100).contains(&y)
}

/// More digits or dots glued on either side make it a version, an address or a code.
fn embedded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let (a1, a2) = (after.next(), after.next());
    let glue = |c: Option<char>| c.is_some_and(|c| matches!(c, '.' | '/' | '-' | ':'));
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    before.is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | ':' | '#' | '№'))
        || glue(a1) && digit(a2)
}

/// "No. 2/2013", "v2.6.32": a number, not a date.
fn numbered(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end().to_lowercase();
    [
        "no.", "no", "nr.", "№", "#", "v", "version", "ver.", "art.", "ст.",
    ]
    .iter()
    .any(|w| before.ends_with(w))
}

/// Day and month from two small fields, or nothing when neither order gives a date.
fn day_month(a: u32, b: u32, order: DateOrder) -> Option<(u32, u32)> {
    match (a > 12, b > 12) {
        (true, true) => None,
        (true, false) => Some((a, b)),
        (false, true) => Some((b, a)),
        (false, false) => Some(match order {
            DateOrder::Dmy => (a, b),
            DateOrder::Mdy => (b, a),
        }),
    }
}

/// A numeric date found in text: its span and date.
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

fn full_date(caps: &regex::Captures, order: DateOrder) -> Option<PartialDate> {
    let (a, b, c) = (caps.name("a")?, caps.name("b")?, caps.name("c")?);
    if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
        return None;
    }
    let sep = caps.name("s1")?.as_str();
    let (year, month, day) = if a.as_str().len() == 4 && c.as_str().len() <= 2 {
        // 2015-3-3, 2015/03/03, 2015.03.03: year first, then month and day.
        let d: u32 = c.as_str().parse().ok()?;
        (a.as_str().parse().ok()?, b.as_str().parse().ok()?, d)
    } else {
        if a.as_str().len() > 2 || c.as_str().len() == 1 || c.as_str().len() == 3 {
            return None;
        }
        let year = full_year(c.as_str())?;
        // "2.6.32" is a version, "10-11-12" a phone number: a two-digit year needs a
        // two-digit first field and no dashes.
        if c.as_str().len() == 2 && (a.as_str().len() < 2 || sep == "-") {
            return None;
        }
        let (d, m) = day_month(a.as_str().parse().ok()?, b.as_str().parse().ok()?, order)?;
        (year, m, d)
    };
    (plausible(year) && chrono::NaiveDate::from_ymd_opt(year, month, day).is_some()).then_some(
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        },
    )
}

fn month_year(caps: &regex::Captures) -> Option<PartialDate> {
    let (y, m) = match (
        caps.name("y1"),
        caps.name("m1"),
        caps.name("m2"),
        caps.name("y2"),
    ) {
        (Some(y), Some(m), _, _) => {
            let year: i32 = y.as_str().parse().ok()?;
            let month: u32 = m.as_str().parse().ok()?;
            // "2010/11" is the fiscal year 2010-2011, not November.
            if month as i32 == (year + 1) % 100 {
                return None;
            }
            (year, month)
        }
        (_, _, Some(m), Some(y)) => (y.as_str().parse().ok()?, m.as_str().parse().ok()?),
        _ => return None,
    };
    (plausible(y) && (1..=12).contains(&m)).then_some(PartialDate {
        year: y,
        month: Some(m),
        day: None,
    })
}

/// A digit, a separator and a digit: the least an all-digit date needs. Most text has none,
/// and checking bytes is much cheaper than running the regexes.
fn has_date_shape(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], b'.' | b'/' | b'-') && w[2].is_ascii_digit()
    })
}

/// Finds all-digit dates in `text`, at day grain and then at month grain.
pub fn find(text: &str, order: DateOrder) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    if !has_date_shape(text) {
        return out;
    }
    for caps in DMY_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if embedded(text, m.start(), m.end()) || numbered(text, m.start()) {
            continue;
        }
        if let Some(date) = full_date(&caps, order) {
            out.push(Found {
                start: m.start(),
                end: m.end(),
                date,
            });
        }
    }
    for caps in MONTH_YEAR_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if embedded(text, m.start(), m.end())
            || numbered(text, m.start())
            || out.iter().any(|f| f.start < m.end() && m.start() < f.end)
        {
            continue;
        }
        if let Some(date) = month_year(&caps) {
            out.push(Found {
                start: m.start(),
                end: m.end(),
                date,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str, order: DateOrder) -> Vec<String> {
        find(s, order).iter().map(|f| f.date.to_string()).collect()
    }

    #[test]
    fn every_order_news_writes() {
        let d = DateOrder::Dmy;
        assert_eq!(dates("on 31.10.1974", d), vec!["1974-10-31"]);
        assert_eq!(dates("on 31/10/74", d), vec!["1974-10-31"]);
        assert_eq!(dates("on 10/31/1974", d), vec!["1974-10-31"]);
        assert_eq!(dates("on 2015-3-3", d), vec!["2015-03-03"]);
        assert_eq!(dates("in 2014/10", d), vec!["2014-10"]);
        assert_eq!(dates("in 2/2013", d), vec!["2013-02"]);
    }

    #[test]
    fn the_configured_order_settles_what_the_fields_do_not() {
        assert_eq!(dates("03/04/2015", DateOrder::Dmy), vec!["2015-04-03"]);
        assert_eq!(dates("03/04/2015", DateOrder::Mdy), vec!["2015-03-04"]);
        // An impossible month settles it whatever the order.
        assert_eq!(dates("25/04/2015", DateOrder::Mdy), vec!["2015-04-25"]);
    }

    #[test]
    fn versions_addresses_and_numbers_are_not_dates() {
        for s in [
            "Linux 2.6.32 kernel",
            "host 192.168.1.1",
            "call 10-11-12",
            "fiscal 2010/11",
            "Resolution No. 2/2013",
            "version 1.2.2015",
            "31.02.2015",
        ] {
            assert!(dates(s, DateOrder::Dmy).is_empty(), "{s}");
        }
    }
}
