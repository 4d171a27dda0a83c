//! Numbers as people write them: `2.418`, `1,300`, `1,9` (Russian decimal comma),
//! `15 600 000`, and the scale words after them (`million`, `bn`, `млрд`, `тыс.`). Numbers
//! written in words are [`super::numwords`].

/// Regex source for a written number (digits with optional group and decimal separators).
pub const NUM: &str = r"\d{1,3}(?:[,\u{a0}\u{202f}\u{2009} ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?";

/// Parses a written number. `decimal_comma` says the surrounding text writes decimals with
/// a comma (Russian); then `1,9` is 1.9 and `1,300` is 1.3. Without it a comma followed by
/// exactly three digits groups thousands.
pub fn parse_number(raw: &str, decimal_comma: bool) -> Option<f64> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let normalized = if commas > 0 && dots > 0 {
        // Whichever separator comes last is the decimal one.
        let last_comma = s.rfind(',').unwrap_or(0);
        let last_dot = s.rfind('.').unwrap_or(0);
        if last_dot > last_comma {
            s.replace(',', "")
        } else {
            s.replace('.', "").replace(',', ".")
        }
    } else if commas > 0 {
        let groups_of_three = s.split(',').skip(1).all(|g| g.len() == 3);
        if commas == 1 && (decimal_comma || !groups_of_three) {
            s.replace(',', ".")
        } else if groups_of_three {
            s.replace(',', "")
        } else {
            return None;
        }
    } else if dots > 1 {
        // 1.300.000: dots group thousands.
        if s.split('.').skip(1).all(|g| g.len() == 3) {
            s.replace('.', "")
        } else {
            return None;
        }
    } else {
        s
    };
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The multiplier of a scale word (`million`, `bn`, `млрд.`, `тыс`), if it is one.
pub fn scale_value(w: &str) -> Option<f64> {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    let v = match w {
        "k" | "thousand" | "thousands" => 1e3,
        "lakh" | "lakhs" => 1e5,
        "m" | "mn" | "mln" | "mil" | "million" | "millions" => 1e6,
        "crore" | "crores" => 1e7,
        "b" | "bn" | "bln" | "bil" | "billion" | "billions" => 1e9,
        "tn" | "trn" | "trln" | "trillion" | "trillions" => 1e12,
        w if w.starts_with("тыс") => 1e3,
        w if w.starts_with("млн") || w.starts_with("миллион") => 1e6,
        w if w.starts_with("млрд") || w.starts_with("миллиард") => 1e9,
        w if w.starts_with("трлн") || w.starts_with("триллион") => 1e12,
        _ => return None,
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_separators() {
        assert_eq!(parse_number("2.418", false), Some(2.418));
        assert_eq!(parse_number("312.507", false), Some(312.507));
        assert_eq!(parse_number("1,300", false), Some(1300.0));
        assert_eq!(parse_number("1,9", false), Some(1.9));
        assert_eq!(parse_number("1,9", true), Some(1.9));
        assert_eq!(parse_number("4,250", true), Some(4.25));
        assert_eq!(parse_number("15 600 000", false), Some(15_600_000.0));
        assert_eq!(parse_number("1,234,567.5", false), Some(1_234_567.5));
        assert_eq!(parse_number("1.234.567,5", false), Some(1_234_567.5));
        assert_eq!(parse_number("1.300.000", false), Some(1_300_000.0));
        assert_eq!(parse_number("12,34,5", false), None);
    }

    #[test]
    fn scales() {
        assert_eq!(scale_value("миллиардами"), Some(1e9));
        assert_eq!(scale_value("crore"), Some(1e7));
        assert_eq!(scale_value("млрд."), Some(1e9));
        assert_eq!(scale_value("bn"), Some(1e9));
        assert_eq!(scale_value("tons"), None);
    }
}
