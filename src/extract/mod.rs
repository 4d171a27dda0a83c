//! Extraction: money, dates, percentages and part-year periods found in text, and the
//! facts built from them (a figure with its year, measure and parties; a date with its
//! event). Pure functions over strings: no IO, no index, no Telegram.

pub mod currency;
pub mod dates;
pub mod event_parties;
pub mod facts;
pub mod kinds;
pub mod money;
pub mod number;
pub mod numeric_dates;
pub mod numwords;
pub mod percent;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

pub use facts::{
    extract_explained, extract_facts, lead_period, DateFact, Explanation, Fact, FactContext,
    Measure, Modality, MoneyFact, Scope,
};
pub use numeric_dates::DateOrder;

/// A money amount as written, normalised to currency units and an ISO 4217 code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub amount: f64,
    /// `None` when the text gives no currency and none could be taken from context.
    pub currency: Option<String>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The currency was taken from a neighbouring figure, not written with this one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred_currency: bool,
    /// The upper end of a range ("$2-3 billion"); `amount` is then the lower end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// "about", "nearly", "more than", "up to" written before the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

/// How exact an amount is, as the words before it say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// "about", "around", "около", "примерно".
    About,
    /// "nearly", "almost", "почти".
    Nearly,
    /// "more than", "over", "свыше", "более".
    Over,
    /// "less than", "up to", "менее", "не более".
    Under,
}

/// A calendar date at the grain the text gives: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// How precise a [`PartialDate`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    Year,
    Month,
    Day,
}

impl PartialDate {
    pub fn grain(&self) -> Grain {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Grain::Day,
            (Some(_), None) => Grain::Month,
            _ => Grain::Year,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map(|m| m.parse().ok()).unwrap_or(None);
        let day = parts.next().map(|d| d.parse().ok()).unwrap_or(None);
        Some(PartialDate { year, month, day })
    }

    pub fn to_naive(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad date {s}")))
    }
}

/// A date found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub date: PartialDate,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Resolved from "last year" and the like.
    pub relative: bool,
}

/// A percentage found in text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Percent {
    pub value: f64,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// English month names, January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A part of a year that a figure covers: months `from_month..=to_month` of `year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub from_month: u32,
    pub to_month: u32,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Period {
    /// "January–September 2021".
    pub fn label(&self) -> String {
        let name = |m: u32| {
            MONTHS_EN
                .get((m as usize).wrapping_sub(1))
                .copied()
                .unwrap_or("?")
        };
        if self.from_month == self.to_month {
            format!("{} {}", name(self.from_month), self.year)
        } else {
            format!(
                "{}–{} {}",
                name(self.from_month),
                name(self.to_month),
                self.year
            )
        }
    }
}

/// Everything found in a text, in order of position.
#[derive(Debug, Clone, PartialEq)]
pub enum Mention {
    Money(Money),
    Date(DateMention),
    Percent(Percent),
    Period(Period),
}

impl Mention {
    pub fn start(&self) -> usize {
        match self {
            Mention::Money(m) => m.start,
            Mention::Date(d) => d.start,
            Mention::Percent(p) => p.start,
            Mention::Period(p) => p.start,
        }
    }

    /// The JSON line `factbot extract` prints.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Mention::Money(m) => {
                json!({"type": "money", "amount": m.amount, "currency": m.currency,
                "max": m.max, "qualifier": m.qualifier,
                "text": m.text, "start": m.start, "end": m.end})
            }
            Mention::Date(d) => json!({"type": "date", "date": d.date, "grain": d.date.grain(),
                "text": d.text, "start": d.start, "end": d.end}),
            Mention::Percent(p) => json!({"type": "percent", "value": p.value, "text": p.text,
                "start": p.start, "end": p.end}),
            Mention::Period(p) => {
                json!({"type": "period", "year": p.year, "months": [p.from_month, p.to_month],
                "label": p.label(), "text": p.text, "start": p.start, "end": p.end})
            }
        }
    }
}

/// All mentions in `text`, with all-digit dates read day first. `published` resolves
/// relative years and dates without a year.
pub fn mentions(text: &str, published: Option<NaiveDate>) -> Vec<Mention> {
    mentions_in_order(text, published, DateOrder::Dmy)
}

/// All mentions in `text`; `order` reads all-digit dates whose fields do not settle it.
pub fn mentions_in_order(
    text: &str,
    published: Option<NaiveDate>,
    order: DateOrder,
) -> Vec<Mention> {
    let money = money::find(text);
    let periods = dates::find_periods(text);
    let mut exclude: Vec<(usize, usize)> = periods.iter().map(|p| (p.start, p.end)).collect();
    // A number inside an amount ("$2003 million") is not a year.
    exclude.extend(money.iter().map(|m| (m.start, m.end)));
    let dates = dates::find(text, published, &exclude, order);
    let percents = percent::find(text);
    let mut out: Vec<Mention> = Vec::new();
    out.extend(money.into_iter().map(Mention::Money));
    out.extend(periods.into_iter().map(Mention::Period));
    out.extend(dates.into_iter().map(Mention::Date));
    out.extend(percents.into_iter().map(Mention::Percent));
    out.sort_by_key(Mention::start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliases::Aliases;

    /// Strings built from the characters extraction cares about (digits, separators,
    /// currency signs, dashes, Cyrillic, emoji): every slice position is a trap for byte
    /// arithmetic. A deterministic generator keeps the test repeatable.
    #[test]
    fn extraction_never_panics_on_tricky_text() {
        const ALPHABET: &[&str] = &[
            "1",
            "9",
            "0",
            "2003",
            " ",
            ".",
            ",",
            "-",
            "–",
            "—",
            "$",
            "€",
            "₸",
            "%",
            "million",
            "млрд",
            "года",
            "в",
            "in",
            "October",
            "октября",
            "15",
            "US",
            "dollars",
            "долларов",
            "🙂",
            "\u{200b}",
            "\n",
            "(",
            ")",
            "or",
            "of which",
            "Kazakhstan",
            "Кыргызстан",
            "signed",
            "H1",
            "Q3",
            "January-",
            "first half of",
        ];
        let aliases = Aliases::builtin();
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
            }
            let ms = mentions(&s, chrono::NaiveDate::from_ymd_opt(2024, 4, 17));
            for m in &ms {
                let v = m.to_json();
                let (a, b) = (
                    v["start"].as_u64().unwrap_or(0) as usize,
                    v["end"].as_u64().unwrap_or(0) as usize,
                );
                assert!(
                    a <= b && b <= s.len() && s.is_char_boundary(a) && s.is_char_boundary(b),
                    "{s:?}: {v}"
                );
            }
            let ctx = FactContext {
                published: None,
                aliases: &aliases,
                title: "t",
                date_order: DateOrder::Dmy,
                lead_period: None,
            };
            extract_facts(&s, &ctx);
        }
    }
}
