//! Percentages: `8.3%`, `8,3 %`, `by 25 percent`, `25 per cent`, `на 25 процентов`.
//! Percentage points (`2.5 percentage points`, `8.3 points`) are not percentages of anything.

use std::sync::LazyLock;

use regex::Regex;

use super::number::{parse_number, NUM};
use super::Percent;

static PERCENT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?P<sign>[-−–]\s?)?(?-u:\b)(?P<num>{NUM})\s?(?P<unit>%|percent(?-u:\b)|per\s?cent(?-u:\b)|pct(?-u:\b)|процент(?:а|ов)?|проц\.))"
    ))
    .expect("percent regex")
});

/// Finds percentages in `text`.
pub fn find(text: &str) -> Vec<Percent> {
    let mut out = Vec::new();
    for caps in PERCENT_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        // "процентных пунктов": a word goes on after the unit.
        if text[m.end()..]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
        {
            continue;
        }
        let after = text[m.end()..].trim_start().to_lowercase();
        if after.starts_with("point") || after.starts_with("пункт") || after.starts_with("п.п")
        {
            continue;
        }
        let ru = caps
            .name("unit")
            .is_some_and(|u| u.as_str().starts_with(['п', 'П']))
            || text[..m.start()]
                .chars()
                .rev()
                .take(40)
                .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let Some(mut value) = caps.name("num").and_then(|n| parse_number(n.as_str(), ru)) else {
            continue;
        };
        // A sign glued to the number ("-5%") or after a space ("fell by -5%") is negative;
        // a dash between words ("2020 – 5%") is punctuation.
        let signed = caps.name("sign").is_some_and(|s| {
            let before = &text[..s.start()];
            before.is_empty() || before.ends_with([' ', '(']) && s.as_str().len() <= 3
        });
        let start = if signed {
            value = -value;
            caps.name("sign").map_or(m.start(), |s| s.start())
        } else {
            caps.name("num").map_or(m.start(), |n| n.start())
        };
        out.push(Percent {
            value,
            text: text[start..m.end()].to_string(),
            start,
            end: m.end(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<f64> {
        find(s).into_iter().map(|p| p.value).collect()
    }

    #[test]
    fn forms() {
        assert_eq!(values("or 8.3% fell"), vec![8.3]);
        assert_eq!(values("grew by 25 percent"), vec![25.0]);
        assert_eq!(values("rose 4 per cent"), vec![4.0]);
        assert_eq!(values("вырос на 8,3 %"), vec![8.3]);
        assert_eq!(values("на 12 процентов"), vec![12.0]);
    }

    #[test]
    fn not_percentages() {
        assert!(values("8.3 points").is_empty());
        assert!(values("by 2.5 percentage points").is_empty());
        assert!(values("up 3 percent points").is_empty());
    }
}
