//! Money amounts: `$90.8 million`, `US$3.9 billion`, `1.3 billion US dollars`, `USD 5 bn`,
//! `€20`, `650 million dollars`, `1,9 млрд долларов`, `4,2 млрд долл. США`,
//! `двух миллиардов долларов`, tenge, som, rubles, yuan. A bare `312.507 million` counts
//! only in a sentence about money and takes its currency from the figures around it.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::number::{
    number_word, parse_number, scale_value, NUM, NUMBER_WORDS_EN, NUMBER_WORDS_RU,
};
use super::Money;

const SCALE: &str = r"thousand|million|billion|trillion|mln|mn|bln|bn|trln|trn|tn|тысяч[аи]?|тыс\.?|миллиард(?:а|ов)?|миллион(?:а|ов)?|триллион(?:а|ов)?|млрд\.?|млн\.?|трлн\.?";

const PREFIX_CURRENCY: &str =
    r"US\s?\$|U\.S\.\s?\$|C\$|A\$|\$|€|£|¥|₸|₽|USD|EUR|KZT|KGS|RUB|RUR|CNY|RMB|GBP|UZS|TJS|JPY";

const SUFFIX_CURRENCY: &str = r"(?:US|U\.S\.|American)\s+dollars?|dollars?|USD|US\$|\$|euros?|EUR|€|tenge|KZT|₸|soms?|KGS|roubles?|rubles?|RUB|RUR|₽|yuan|renminbi|CNY|RMB|pounds?\s+sterling|GBP|£|soums?|UZS|somoni|TJS|yen|JPY|долл(?:ар(?:ов|а|ы)?)?\.?(?:\s*США)?|евро|тенге|сом(?:а|ов)?|рубл(?:ей|я|ь)|юан(?:ей|я|ь|и)|сум(?:а|ов)?|сомони";

static PREFIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<cur>{PREFIX_CURRENCY})\s?(?P<num>{NUM})(?:\s?(?P<scale>{SCALE})|(?P<short>bn|[kmb]))?"
    ))
    .expect("prefix money regex")
});

static SUFFIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?-u:\b)(?P<num>{NUM})\s?(?:(?P<scale>{SCALE})\s?)?(?:of\s+)?(?P<cur>{SUFFIX_CURRENCY}))"
    ))
    .expect("suffix money regex")
});

static WORDS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?:(?-u:\b)(?P<word>{NUMBER_WORDS_EN})|(?P<ruword>{NUMBER_WORDS_RU}))\s+(?P<scale>{SCALE})\s+(?:of\s+)?(?P<cur>{SUFFIX_CURRENCY}))"
    ))
    .expect("word money regex")
});

static BARE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?-u:\b)(?P<num>{NUM})\s?(?P<scale>million|billion|trillion|mln|bln|bn|миллиард(?:а|ов)?|миллион(?:а|ов)?|млрд\.?|млн\.?|трлн\.?))"
    ))
    .expect("bare money regex")
});

/// Words near a bare amount that show the sentence is about money.
static MONEY_CONTEXT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:trade|turnover|export|import|invest|worth|valued|value|cost|budget|revenue|gdp|sales|loan|grant|credit|товарооборот|торгов|экспорт|импорт|инвест|стоимост|бюджет|кредит)")
        .expect("money context regex")
});

/// The word after a bare amount that shows it counts things, not money.
fn counts_things(after: &str) -> bool {
    let next: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    const FUNCTION_WORDS: &[&str] = &[
        "",
        "in",
        "and",
        "or",
        "to",
        "from",
        "for",
        "at",
        "by",
        "with",
        "as",
        "on",
        "last",
        "this",
        "compared",
        "against",
        "versus",
        "vs",
        "in",
        "while",
        "whereas",
        "but",
        "which",
        "that",
        "during",
        "over",
        "up",
        "down",
        "a",
        "the",
        "worth",
        "в",
        "и",
        "или",
        "на",
        "за",
        "по",
        "с",
        "к",
        "против",
        "что",
        "а",
        "но",
        "от",
        "до",
        "при",
    ];
    !FUNCTION_WORDS.contains(&next.as_str())
}

fn currency_code(raw: &str) -> Option<&'static str> {
    let l = raw.to_lowercase();
    let l = l.trim();
    let code = if l.contains('$') || l.contains("dollar") || l.starts_with("долл") || l == "usd"
    {
        if l.starts_with("c$") {
            "CAD"
        } else if l.starts_with("a$") {
            "AUD"
        } else {
            "USD"
        }
    } else if l.contains('€') || l.starts_with("euro") || l == "eur" || l == "евро" {
        "EUR"
    } else if l.contains('₸') || l == "tenge" || l == "kzt" || l == "тенге" {
        "KZT"
    } else if l == "som"
        || l == "soms"
        || l == "kgs"
        || l.starts_with("сом") && !l.starts_with("сомони")
    {
        "KGS"
    } else if l.contains('₽')
        || l.starts_with("roubl")
        || l.starts_with("rubl")
        || l == "rub"
        || l == "rur"
        || l.starts_with("рубл")
    {
        "RUB"
    } else if l == "yuan" || l == "renminbi" || l == "cny" || l == "rmb" || l.starts_with("юан")
    {
        "CNY"
    } else if l.contains('£') || l.starts_with("pound") || l == "gbp" {
        "GBP"
    } else if l.starts_with("soum") || l == "uzs" || l.starts_with("сум") {
        "UZS"
    } else if l == "somoni" || l == "tjs" || l == "сомони" {
        "TJS"
    } else if l.contains('¥') || l == "yen" || l == "jpy" {
        "JPY"
    } else {
        return None;
    };
    Some(code)
}

/// Russian scale words and currencies mean the number uses a decimal comma.
fn is_russian(s: &str) -> bool {
    s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

fn ends_at_word_boundary(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn build(text: &str, caps: &Captures, amount: f64, currency: Option<&str>) -> Option<Money> {
    let m = caps.get(0)?;
    if !amount.is_finite() || amount <= 0.0 {
        return None;
    }
    Some(Money {
        amount,
        currency: currency.map(str::to_string),
        text: text[m.start()..m.end()].trim_end().to_string(),
        start: m.start(),
        end: m.start() + text[m.start()..m.end()].trim_end().len(),
        inferred_currency: false,
    })
}

fn scaled(caps: &Captures, num: f64) -> f64 {
    let scale = caps
        .name("scale")
        .or_else(|| caps.name("short"))
        .and_then(|s| scale_value(s.as_str()))
        .unwrap_or(1.0);
    // Keep cents exact: 90.8 × 1e6 must print as 90800000, not 90799999.99.
    (num * scale * 100.0).round() / 100.0
}

/// Finds money amounts in `text`, leftmost-longest, without overlaps.
pub fn find(text: &str) -> Vec<Money> {
    let mut found: Vec<Money> = Vec::new();
    for caps in PREFIX_RE.captures_iter(text) {
        let m = caps.get(0).map_or(0..0, |m| m.range());
        // "USD" etc. must be a word of its own; "$" and symbols need no boundary.
        let cur = caps.name("cur").map_or("", |c| c.as_str());
        if cur.chars().all(|c| c.is_ascii_alphabetic())
            && text[..m.start]
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        if !ends_at_word_boundary(text, m.end) {
            continue;
        }
        let ru = caps.name("scale").is_some_and(|s| is_russian(s.as_str()));
        let Some(num) = caps.name("num").and_then(|n| parse_number(n.as_str(), ru)) else {
            continue;
        };
        if let Some(money) = build(text, &caps, scaled(&caps, num), currency_code(cur)) {
            found.push(money);
        }
    }
    for caps in SUFFIX_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if !ends_at_word_boundary(text, m.end()) && !m.as_str().ends_with('.') {
            continue;
        }
        let cur = caps.name("cur").map_or("", |c| c.as_str());
        let ru = is_russian(m.as_str());
        let Some(num) = caps.name("num").and_then(|n| parse_number(n.as_str(), ru)) else {
            continue;
        };
        if let Some(money) = build(text, &caps, scaled(&caps, num), currency_code(cur)) {
            found.push(money);
        }
    }
    for caps in WORDS_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if !ends_at_word_boundary(text, m.end()) && !m.as_str().ends_with('.') {
            continue;
        }
        let cur = caps.name("cur").map_or("", |c| c.as_str());
        let Some(num) = caps
            .name("word")
            .or_else(|| caps.name("ruword"))
            .and_then(|w| number_word(w.as_str()))
        else {
            continue;
        };
        if let Some(money) = build(text, &caps, scaled(&caps, num), currency_code(cur)) {
            found.push(money);
        }
    }
    let mut found = leftmost_longest(found);
    find_bare(text, &mut found);
    found
}

/// Bare amounts (`312.507 million`) in a sentence about money, not overlapping the others.
fn find_bare(text: &str, found: &mut Vec<Money>) {
    let mut extra = Vec::new();
    for caps in BARE_RE.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if !ends_at_word_boundary(text, m.end()) && !m.as_str().ends_with('.') {
            continue;
        }
        if found.iter().any(|f| f.start < m.end() && m.start() < f.end) {
            continue;
        }
        if counts_things(&text[m.end()..]) {
            continue;
        }
        let window_start = floor_char(text, m.start().saturating_sub(160));
        let window_end = ceil_char(text, (m.end() + 80).min(text.len()));
        let has_currency = found
            .iter()
            .any(|f| f.end + 200 >= m.start() && f.start <= m.end() + 200);
        if !has_currency && !MONEY_CONTEXT_RE.is_match(&text[window_start..window_end]) {
            continue;
        }
        let ru = is_russian(m.as_str());
        let Some(num) = caps.name("num").and_then(|n| parse_number(n.as_str(), ru)) else {
            continue;
        };
        // Take the currency of the nearest figure that has one.
        let currency = found
            .iter()
            .filter(|f| f.currency.is_some())
            .min_by_key(|f| f.start.abs_diff(m.start()))
            .and_then(|f| f.currency.clone());
        if let Some(mut money) = build(text, &caps, scaled(&caps, num), None) {
            money.inferred_currency = currency.is_some();
            money.currency = currency;
            extra.push(money);
        }
    }
    found.extend(extra);
    found.sort_by_key(|f| f.start);
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn leftmost_longest(mut v: Vec<Money>) -> Vec<Money> {
    v.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Money> = Vec::new();
    for m in v {
        if let Some(last) = out.last() {
            if m.start < last.end {
                continue;
            }
        }
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (f64, Option<String>, String) {
        let v = find(s);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        (v[0].amount, v[0].currency.clone(), v[0].text.clone())
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            one("was $90.8 million in 2000"),
            (90_800_000.0, Some("USD".into()), "$90.8 million".into())
        );
        assert_eq!(
            one("made 15.6 billion US dollars of"),
            (
                15_600_000_000.0,
                Some("USD".into()),
                "15.6 billion US dollars".into()
            )
        );
        assert_eq!(
            one("USD 5 bn"),
            (5e9, Some("USD".into()), "USD 5 bn".into())
        );
        assert_eq!(
            one("US$3.9 billion"),
            (3.9e9, Some("USD".into()), "US$3.9 billion".into())
        );
        assert_eq!(
            one("около 1,9 млрд долларов"),
            (1.9e9, Some("USD".into()), "1,9 млрд долларов".into())
        );
        assert_eq!(
            one("4,2 млрд долл. США"),
            (4.2e9, Some("USD".into()), "4,2 млрд долл. США".into())
        );
        assert_eq!(
            one("до двух миллиардов долларов"),
            (2e9, Some("USD".into()), "двух миллиардов долларов".into())
        );
        assert_eq!(
            one("cost €20 each"),
            (20.0, Some("EUR".into()), "€20".into())
        );
    }

    #[test]
    fn bare_amount_needs_money_context() {
        let v = find("Exports reached $1.2 billion and imports 312.507 million in 2021.");
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(v[1].amount, 312_507_000.0);
        assert_eq!(v[1].currency.as_deref(), Some("USD"));
        assert!(find("The city has 1.3 million residents.").is_empty());
        assert!(find("About 5 million people visited in 2019.").is_empty());
    }

    #[test]
    fn not_money() {
        for s in [
            "Route 66",
            "1,113 km of border",
            "8.3 points",
            "+7 727 250 1234",
            "in 2003",
        ] {
            assert!(find(s).is_empty(), "{s}");
        }
    }
}
