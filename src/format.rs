//! How figures, dates and labels read in an answer, in English and in Russian: "$160.7
//! million" / "160,7 млн долларов США", "April 8, 1997" / "8 апреля 1997 г.". All the
//! wording of answers lives here and in [`crate::answer`], never in the adapters.

use crate::extract::{Measure, Modality, PartialDate, Period};
use crate::question::Lang;

/// "$160.7 million", "KZT 5.2 billion", "€20"; in Russian "160,7 млн долларов США".
pub fn money(amount: f64, currency: Option<&str>, lang: Lang) -> String {
    let (value, scale_en, scale_ru) = scale(amount);
    let num = number(value, lang);
    match lang {
        Lang::En => {
            let scaled = if scale_en.is_empty() {
                num
            } else {
                format!("{num} {scale_en}")
            };
            match currency {
                Some("USD") => format!("${scaled}"),
                Some("EUR") => format!("€{scaled}"),
                Some("GBP") => format!("£{scaled}"),
                Some(code) => format!("{scaled} {code}"),
                None => scaled,
            }
        }
        Lang::Ru => {
            let scaled = if scale_ru.is_empty() {
                num
            } else {
                format!("{num} {scale_ru}")
            };
            let cur = match currency {
                Some("USD") => "долларов США",
                Some("EUR") => "евро",
                Some("KZT") => "тенге",
                Some("KGS") => "сомов",
                Some("RUB") => "рублей",
                Some("CNY") => "юаней",
                Some("UZS") => "сумов",
                Some(code) => code,
                None => "",
            };
            format!("{scaled} {cur}").trim_end().to_string()
        }
    }
}

fn scale(amount: f64) -> (f64, &'static str, &'static str) {
    let a = amount.abs();
    if a >= 1e12 {
        (amount / 1e12, "trillion", "трлн")
    } else if a >= 1e9 {
        (amount / 1e9, "billion", "млрд")
    } else if a >= 1e6 {
        (amount / 1e6, "million", "млн")
    } else if a >= 1e4 {
        (amount / 1e3, "thousand", "тыс.")
    } else {
        (amount, "", "")
    }
}

/// A number with up to three decimals, trailing zeros dropped; decimal comma in Russian.
pub fn number(v: f64, lang: Lang) -> String {
    let mut s = format!("{v:.3}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    if lang == Lang::Ru {
        s = s.replace('.', ",");
    }
    s
}

/// A percentage with one decimal ("8.3%", "8,3%"), signed when asked.
pub fn percent(v: f64, signed: bool, lang: Lang) -> String {
    let mut s = format!("{:.1}", v.abs());
    if s.ends_with(".0") {
        s.truncate(s.len() - 2);
    }
    if lang == Lang::Ru {
        s = s.replace('.', ",");
    }
    let sign = if v < 0.0 {
        "−"
    } else if signed {
        "+"
    } else {
        ""
    };
    format!("{sign}{s}%")
}

const EN_MONTHS: [&str; 12] = crate::extract::MONTHS_EN;
const RU_MONTHS_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const RU_MONTHS_NOM: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

fn month_name(names: &[&'static str; 12], m: u32) -> &'static str {
    names
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// A date at its own grain: "April 8, 1997", "October 1992", "2003"; "8 апреля 1997 г.".
pub fn date(d: &PartialDate, lang: Lang) -> String {
    match (lang, d.month, d.day) {
        (Lang::En, Some(m), Some(day)) => {
            format!("{} {day}, {}", month_name(&EN_MONTHS, m), d.year)
        }
        (Lang::En, Some(m), None) => format!("{} {}", month_name(&EN_MONTHS, m), d.year),
        (Lang::En, _, _) => d.year.to_string(),
        (Lang::Ru, Some(m), Some(day)) => {
            format!("{day} {} {} г.", month_name(&RU_MONTHS_GEN, m), d.year)
        }
        (Lang::Ru, Some(m), None) => format!("{} {} г.", month_name(&RU_MONTHS_NOM, m), d.year),
        (Lang::Ru, _, _) => format!("{} г.", d.year),
    }
}

/// "January–September 2021" / "январь–сентябрь 2021 г.".
pub fn period(p: &Period, lang: Lang) -> String {
    let names = if lang == Lang::Ru {
        &RU_MONTHS_NOM
    } else {
        &EN_MONTHS
    };
    let year = if lang == Lang::Ru {
        format!("{} г.", p.year)
    } else {
        p.year.to_string()
    };
    if p.from_month == p.to_month {
        format!("{} {year}", month_name(names, p.from_month))
    } else {
        format!(
            "{}–{} {year}",
            month_name(names, p.from_month),
            month_name(names, p.to_month)
        )
    }
}

/// "trade turnover", "exports"; "товарооборот", "экспорт".
pub fn measure(m: Measure, lang: Lang) -> &'static str {
    match (m, lang) {
        (Measure::Turnover, Lang::En) => "trade turnover",
        (Measure::Export, Lang::En) => "exports",
        (Measure::Import, Lang::En) => "imports",
        (Measure::Investment, Lang::En) => "investment",
        (Measure::Other, Lang::En) => "figure",
        (Measure::Turnover, Lang::Ru) => "товарооборот",
        (Measure::Export, Lang::Ru) => "экспорт",
        (Measure::Import, Lang::Ru) => "импорт",
        (Measure::Investment, Lang::Ru) => "инвестиции",
        (Measure::Other, Lang::Ru) => "показатель",
    }
}

/// Why a figure is not an actual one: "a potential, not an actual figure".
pub fn modality_note(m: Modality, lang: Lang) -> Option<&'static str> {
    match (m, lang) {
        (Modality::Actual, _) => None,
        (Modality::Potential, Lang::En) => Some("a potential, not an actual figure"),
        (Modality::Target, Lang::En) => Some("a target, not an actual figure"),
        (Modality::Forecast, Lang::En) => Some("a forecast, not an actual figure"),
        (Modality::Potential, Lang::Ru) => Some("потенциал, а не фактическая цифра"),
        (Modality::Target, Lang::Ru) => Some("целевой показатель, а не фактическая цифра"),
        (Modality::Forecast, Lang::Ru) => Some("прогноз, а не фактическая цифра"),
    }
}

/// "A and B", "A, B and C"; "A и B".
pub fn list(items: &[String], lang: Lang) -> String {
    let and = if lang == Lang::Ru { "и" } else { "and" };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} {and} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// "You can ask:" / "Можно спросить:", before suggested questions.
pub fn suggestions_intro(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Можно спросить:",
        Lang::En => "You can ask:",
    }
}

/// "Source" / "Источник", before a cited document.
pub fn source_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Источник",
        Lang::En => "Source",
    }
}

/// How many characters of a user's question an answer quotes back.
pub const EXCERPT_CHARS: usize = 80;

/// The start of a user's text for quoting it back: at most [`EXCERPT_CHARS`] characters,
/// cut at a word boundary with "…", so a long message is not echoed whole.
pub fn excerpt(s: &str) -> String {
    let Some((cut, _)) = s.char_indices().nth(EXCERPT_CHARS) else {
        return s.to_string();
    };
    let head = &s[..cut];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// Upper-cases the first letter.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_quotes_long_text_shortly_at_a_word_boundary() {
        assert_eq!(excerpt("trade 2002"), "trade 2002");
        let long = "word ".repeat(2000);
        let e = excerpt(&long);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1, "{e}");
        assert!(e.ends_with("word…"), "{e}");
        // One long word is cut inside it, on a character boundary.
        let e = excerpt(&"İ".repeat(500));
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn money_reads_naturally() {
        assert_eq!(
            money(160_700_000.0, Some("USD"), Lang::En),
            "$160.7 million"
        );
        assert_eq!(money(15.6e9, Some("USD"), Lang::En), "$15.6 billion");
        assert_eq!(
            money(160_700_000.0, Some("USD"), Lang::Ru),
            "160,7 млн долларов США"
        );
        assert_eq!(money(5.2e9, Some("KZT"), Lang::En), "5.2 billion KZT");
        assert_eq!(money(20.0, Some("EUR"), Lang::En), "€20");
    }

    #[test]
    fn dates_keep_their_grain() {
        let d = PartialDate {
            year: 1997,
            month: Some(4),
            day: Some(8),
        };
        assert_eq!(date(&d, Lang::En), "April 8, 1997");
        assert_eq!(date(&d, Lang::Ru), "8 апреля 1997 г.");
        let m = PartialDate {
            year: 1992,
            month: Some(10),
            day: None,
        };
        assert_eq!(date(&m, Lang::En), "October 1992");
        assert_eq!(
            date(
                &PartialDate {
                    year: 2003,
                    month: None,
                    day: None
                },
                Lang::En
            ),
            "2003"
        );
    }

    #[test]
    fn percents() {
        assert_eq!(percent(151.0, true, Lang::En), "+151%");
        assert_eq!(percent(8.3, false, Lang::Ru), "8,3%");
        assert_eq!(percent(-4.26, true, Lang::En), "−4.3%");
    }
}
