//! Numbers as people write them: `2.418`, `1,300`, `1,9` (Russian decimal comma),
//! `15 600 000`, and small number words (`two`, `двух`, `полтора`).

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

/// Regex source for English number words that can stand before a scale word ("two billion").
pub const NUMBER_WORDS_EN: &str = "half a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|a|an";
/// The same in Russian ("двух миллиардов").
pub const NUMBER_WORDS_RU: &str = "один|одного|одна|одной|два|две|двух|три|трех|трёх|четыре|четырех|четырёх|пять|пяти|шесть|шести|семь|семи|восемь|восьми|девять|девяти|десять|десяти|полтора|полутора|пятнадцать|пятнадцати|двадцать|двадцати|тридцать|тридцати|пятьдесят|пятидесяти";

/// The value of a number word.
pub fn number_word(w: &str) -> Option<f64> {
    let v = match w.to_lowercase().as_str() {
        "half a" => 0.5,
        "a" | "an" | "one" | "один" | "одного" | "одна" | "одной" => 1.0,
        "полтора" | "полутора" => 1.5,
        "two" | "два" | "две" | "двух" => 2.0,
        "three" | "три" | "трех" | "трёх" => 3.0,
        "four" | "четыре" | "четырех" | "четырёх" => 4.0,
        "five" | "пять" | "пяти" => 5.0,
        "six" | "шесть" | "шести" => 6.0,
        "seven" | "семь" | "семи" => 7.0,
        "eight" | "восемь" | "восьми" => 8.0,
        "nine" | "девять" | "девяти" => 9.0,
        "ten" | "десять" | "десяти" => 10.0,
        "twelve" => 12.0,
        "fifteen" | "пятнадцать" | "пятнадцати" => 15.0,
        "twenty" | "двадцать" | "двадцати" => 20.0,
        "thirty" | "тридцать" | "тридцати" => 30.0,
        "forty" => 40.0,
        "fifty" | "пятьдесят" | "пятидесяти" => 50.0,
        _ => return None,
    };
    Some(v)
}

/// The multiplier of a scale word (`million`, `bn`, `млрд.`, `тыс`), if it is one.
pub fn scale_value(w: &str) -> Option<f64> {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    let v = match w {
        "k" | "thousand" | "thousands" | "тыс" | "тысяч" | "тысяча" | "тысячи" => {
            1e3
        }
        "m" | "mn" | "mln" | "million" | "millions" | "млн" | "миллион" | "миллиона"
        | "миллионов" => 1e6,
        "b"
        | "bn"
        | "bln"
        | "billion"
        | "billions"
        | "млрд"
        | "миллиард"
        | "миллиарда"
        | "миллиардов" => 1e9,
        "tn" | "trn" | "trln" | "trillion" | "трлн" | "триллион" | "триллиона" | "триллионов" => {
            1e12
        }
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
    fn words_and_scales() {
        assert_eq!(number_word("двух"), Some(2.0));
        assert_eq!(number_word("Two"), Some(2.0));
        assert_eq!(scale_value("млрд."), Some(1e9));
        assert_eq!(scale_value("bn"), Some(1e9));
        assert_eq!(scale_value("tons"), None);
    }
}
