//! Numbers written in words, in English and Russian: `ten`, `twenty-five`, `one hundred and
//! fifty`, `two and a half`, `half a`, `полтора`, `двадцать пять`, `двух с половиной`,
//! `трёхсот`; and the ordinal day of a month (`third`, `thirty-first`, `третьего`,
//! `тридцать первое`).

use std::sync::LazyLock;

use regex::Regex;

#[derive(Clone, Copy, PartialEq)]
enum Word {
    /// 1-19.
    Unit(u32),
    /// 20, 30 ... 90.
    Ten(u32),
    /// English "hundred": multiplies what comes before.
    Hundred,
    /// Russian 100-900: a whole hundreds word.
    Hundreds(u32),
    /// полтора: one and a half, alone.
    OneAndHalf,
    /// "half" / "половиной".
    Half,
    /// "and", "a", "an", "с": glue.
    Glue,
}

const EN: &[(&str, Word)] = &[
    ("one", Word::Unit(1)),
    ("two", Word::Unit(2)),
    ("three", Word::Unit(3)),
    ("four", Word::Unit(4)),
    ("five", Word::Unit(5)),
    ("six", Word::Unit(6)),
    ("seven", Word::Unit(7)),
    ("eight", Word::Unit(8)),
    ("nine", Word::Unit(9)),
    ("ten", Word::Unit(10)),
    ("eleven", Word::Unit(11)),
    ("twelve", Word::Unit(12)),
    ("thirteen", Word::Unit(13)),
    ("fourteen", Word::Unit(14)),
    ("fifteen", Word::Unit(15)),
    ("sixteen", Word::Unit(16)),
    ("seventeen", Word::Unit(17)),
    ("eighteen", Word::Unit(18)),
    ("nineteen", Word::Unit(19)),
    ("twenty", Word::Ten(20)),
    ("thirty", Word::Ten(30)),
    ("forty", Word::Ten(40)),
    ("fifty", Word::Ten(50)),
    ("sixty", Word::Ten(60)),
    ("seventy", Word::Ten(70)),
    ("eighty", Word::Ten(80)),
    ("ninety", Word::Ten(90)),
    ("hundred", Word::Hundred),
    ("half", Word::Half),
];

/// Russian cardinals with their case forms.
const RU: &[(&[&str], Word)] = &[
    (
        &[
            "один",
            "одного",
            "одному",
            "одним",
            "одна",
            "одной",
            "одну",
            "одно",
        ],
        Word::Unit(1),
    ),
    (&["два", "две", "двух", "двум", "двумя"], Word::Unit(2)),
    (
        &["три", "трёх", "трех", "трём", "трем", "тремя"],
        Word::Unit(3),
    ),
    (
        &[
            "четыре",
            "четырёх",
            "четырех",
            "четырём",
            "четырем",
            "четырьмя",
        ],
        Word::Unit(4),
    ),
    (&["пять", "пяти", "пятью"], Word::Unit(5)),
    (&["шесть", "шести", "шестью"], Word::Unit(6)),
    (&["семь", "семи", "семью"], Word::Unit(7)),
    (&["восемь", "восьми", "восемью"], Word::Unit(8)),
    (&["девять", "девяти", "девятью"], Word::Unit(9)),
    (&["десять", "десяти", "десятью"], Word::Unit(10)),
    (&["одиннадцать", "одиннадцати"], Word::Unit(11)),
    (&["двенадцать", "двенадцати"], Word::Unit(12)),
    (&["тринадцать", "тринадцати"], Word::Unit(13)),
    (&["четырнадцать", "четырнадцати"], Word::Unit(14)),
    (&["пятнадцать", "пятнадцати"], Word::Unit(15)),
    (&["шестнадцать", "шестнадцати"], Word::Unit(16)),
    (&["семнадцать", "семнадцати"], Word::Unit(17)),
    (&["восемнадцать", "восемнадцати"], Word::Unit(18)),
    (&["девятнадцать", "девятнадцати"], Word::Unit(19)),
    (&["двадцать", "двадцати"], Word::Ten(20)),
    (&["тридцать", "тридцати"], Word::Ten(30)),
    (&["сорок", "сорока"], Word::Ten(40)),
    (&["пятьдесят", "пятидесяти"], Word::Ten(50)),
    (&["шестьдесят", "шестидесяти"], Word::Ten(60)),
    (&["семьдесят", "семидесяти"], Word::Ten(70)),
    (&["восемьдесят", "восьмидесяти"], Word::Ten(80)),
    (&["девяносто", "девяноста"], Word::Ten(90)),
    (&["сто", "ста"], Word::Hundreds(100)),
    (&["двести", "двухсот"], Word::Hundreds(200)),
    (&["триста", "трёхсот", "трехсот"], Word::Hundreds(300)),
    (
        &["четыреста", "четырёхсот", "четырехсот"],
        Word::Hundreds(400),
    ),
    (&["пятьсот", "пятисот"], Word::Hundreds(500)),
    (&["шестьсот", "шестисот"], Word::Hundreds(600)),
    (&["семьсот", "семисот"], Word::Hundreds(700)),
    (&["восемьсот", "восьмисот"], Word::Hundreds(800)),
    (&["девятьсот", "девятисот"], Word::Hundreds(900)),
    (&["полтора", "полторы", "полутора"], Word::OneAndHalf),
    (&["половиной"], Word::Half),
];

fn lookup(w: &str) -> Option<Word> {
    let w = w.to_lowercase();
    if let Some((_, k)) = EN.iter().find(|(s, _)| *s == w) {
        return Some(*k);
    }
    if matches!(w.as_str(), "and" | "a" | "an" | "с") {
        return Some(Word::Glue);
    }
    RU.iter()
        .find(|(forms, _)| forms.contains(&w.as_str()))
        .map(|(_, k)| *k)
}

/// Regex source for a run of number words ("two and a half", "двадцать пять"), case-insensitive.
/// A lone "a"/"an" ("a billion dollars") counts as one.
pub static CARDINAL: LazyLock<String> = LazyLock::new(|| {
    let mut words: Vec<&str> = EN.iter().map(|(w, _)| *w).collect();
    words.extend(RU.iter().flat_map(|(f, _)| f.iter().copied()));
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let w = words.join("|");
    format!(r"(?i:(?:half\s+an?|an?|{w})(?:(?:\s+and\s+an?\s+|\s+and\s+|\s+с\s+|\s+|-)(?:{w}))*)")
});

/// The value of a run of number words, when it is one number ("two and a half" is 2.5;
/// "two three" is nothing).
pub fn cardinal(raw: &str) -> Option<f64> {
    let tokens: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|t| !t.is_empty())
        .collect();
    let words: Vec<Word> = tokens.iter().map(|t| lookup(t)).collect::<Option<_>>()?;
    match words.as_slice() {
        [Word::Glue] => {
            return matches!(tokens[0].to_lowercase().as_str(), "a" | "an").then_some(1.0)
        }
        [Word::Half, Word::Glue] => return Some(0.5),
        [Word::OneAndHalf] => return Some(1.5),
        _ => {}
    }
    let mut value: u32 = 0;
    let mut half = false;
    let mut glue_before = false;
    for (i, w) in words.iter().enumerate() {
        if half {
            return None;
        }
        match *w {
            Word::Glue if i == 0 && words.get(1) == Some(&Word::Hundred) => value = 1,
            Word::Glue if i > 0 => glue_before = true,
            Word::Unit(u) => {
                let fits = value.is_multiple_of(100)
                    || (value % 100 >= 20 && value.is_multiple_of(10) && u < 10);
                if !fits || glue_before && !value.is_multiple_of(100) {
                    return None;
                }
                value += u;
            }
            Word::Ten(t) if value.is_multiple_of(100) => value += t,
            Word::Hundred if (1..10).contains(&value) => value *= 100,
            Word::Hundreds(h) if value == 0 => value = h,
            Word::Half if glue_before && value > 0 => half = true,
            _ => return None,
        }
        if !matches!(w, Word::Glue) {
            glue_before = false;
        }
    }
    if value == 0 {
        return None;
    }
    Some(f64::from(value) + if half { 0.5 } else { 0.0 })
}

/// Regex source for an ordinal day of the month in words, English or Russian.
pub const ORDINAL_DAY: &str = r"(?i:(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:двадцать\s+|тридцать\s+)?(?:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят|одиннадцат|двенадцат|тринадцат|четырнадцат|пятнадцат|шестнадцат|семнадцат|восемнадцат|девятнадцат|двадцат|тридцат)(?:ьего|ье|ого|ое|ий|ым|ом))";

const EN_ORDINALS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

const RU_ORDINAL_STEMS: [&str; 20] = [
    "перв",
    "втор",
    "трет",
    "четв",
    "пят",
    "шест",
    "седьм",
    "восьм",
    "девят",
    "десят",
    "одиннадцат",
    "двенадцат",
    "тринадцат",
    "четырнадцат",
    "пятнадцат",
    "шестнадцат",
    "семнадцат",
    "восемнадцат",
    "девятнадцат",
    "двадцат",
];

fn ordinal_word(w: &str) -> Option<u32> {
    if w == "thirtieth" || w.starts_with("тридцат") {
        return Some(30);
    }
    if let Some(i) = EN_ORDINALS.iter().position(|o| *o == w) {
        return Some(i as u32 + 1);
    }
    // Longest stem first: "девятнадцат" before "девят".
    RU_ORDINAL_STEMS
        .iter()
        .enumerate()
        .filter(|(_, s)| w.starts_with(**s))
        .max_by_key(|(_, s)| s.len())
        .map(|(i, _)| i as u32 + 1)
}

/// The day an ordinal word names ("third" is 3, "тридцать первое" is 31).
pub fn ordinal_day(raw: &str) -> Option<u32> {
    let l = raw.to_lowercase();
    let tokens: Vec<&str> = l
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|t| !t.is_empty())
        .collect();
    let day = match tokens.as_slice() {
        [one] => ordinal_word(one)?,
        [tens, one] => {
            let t = match *tens {
                "twenty" | "двадцать" => 20,
                "thirty" | "тридцать" => 30,
                _ => return None,
            };
            t + ordinal_word(one).filter(|u| *u < 10)?
        }
        _ => return None,
    };
    (1..=31).contains(&day).then_some(day)
}

static CARDINAL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{}$", *CARDINAL)).expect("cardinal regex"));

/// True when the whole of `s` is a run of number words.
pub fn is_cardinal(s: &str) -> bool {
    CARDINAL_RE.is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals_in_both_languages() {
        for (s, v) in [
            ("ten", 10.0),
            ("two and a half", 2.5),
            ("twenty-five", 25.0),
            ("one hundred and fifty", 150.0),
            ("a hundred", 100.0),
            ("half a", 0.5),
            ("a", 1.0),
            ("полтора", 1.5),
            ("полутора", 1.5),
            ("двадцать пять", 25.0),
            ("двух с половиной", 2.5),
            ("трёхсот пятидесяти", 350.0),
            ("Десять", 10.0),
        ] {
            assert_eq!(cardinal(s), Some(v), "{s}");
            assert!(is_cardinal(s), "{s}");
        }
    }

    #[test]
    fn runs_that_are_not_one_number() {
        for s in [
            "two three",
            "twenty thirty",
            "five hundred hundred",
            "and",
            "half",
        ] {
            assert_eq!(cardinal(s), None, "{s}");
        }
    }

    #[test]
    fn ordinal_days() {
        for (s, d) in [
            ("third", 3),
            ("thirty-first", 31),
            ("twenty second", 22),
            ("третьего", 3),
            ("тридцать первое", 31),
            ("девятнадцатого", 19),
            ("двадцатое", 20),
        ] {
            assert_eq!(ordinal_day(s), Some(d), "{s}");
        }
        assert_eq!(ordinal_day("thirty-ninth"), None);
    }
}
