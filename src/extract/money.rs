//! Money amounts in every form news writes them: a sign, code or glued prefix before the
//! number (`$90.8 million`, `USD 5 bn`, `CHF 3.04`, `R29.3 billion`, `RM60.2bil`), a name,
//! code or sign after it (`1.3 billion US dollars`, `42 KWD`, `1,9 млрд долларов`, `10k$`),
//! number words (`two and a half billion dollars`, `полтора миллиарда рублей`), compound
//! amounts (`1 млрд 250,6 млн`), minor units (`$20 and 43 cents`, `50 копеек`), ranges
//! (`$2–3 billion`, `от 2 до 3 млрд`) and the qualifier before an amount (`about`, `свыше`).
//! A bare `312.507 million` counts only in a sentence about money and takes its currency from
//! the figures around it. Which currency a word means is [`super::currency`]'s business.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::currency;
use super::number::{parse_number, scale_value, NUM};
use super::numwords::{self, CARDINAL};
use super::{Money, Qualifier};
use crate::lexicon::{alternation, lexicon};

/// Scale words, longest first so that `million` is not read as `mil`.
const SCALE: &str = r"(?i:thousands?|millions?|billions?|trillions?|lakhs?|crores?|trln|mln|bln|bil|mil|mn|bn|trn|tn|тысяч[аиу]?|тыс\.?|миллиард(?:ами|ам|ах|ов|а|ы)?|миллион(?:ами|ам|ах|ов|а|ы)?|триллион(?:ов|а|ы)?|млрд\.?|млн\.?|трлн\.?)";

/// A number with a scale glued to it: `$10K`, `5bn`, `$5m`.
const SHORT: &str = r"[kKmMbB]";

/// "1, 118 bln": a decimal comma followed by a space, read only before a scale word in a text
/// that writes its decimals with a comma.
const SPACED_COMMA: &str = r"\d{1,3},\s\d{3}";

/// Between the ends of a range: `2–3`, `2 to 3`, `от 2 до 3`, `between 2 and 3`.
const RANGE: &str = r"(?P<join>\s?[-–—]\s?|\s+(?:to|до|and|и)\s+)";

/// A breakdown in brackets between a figure and its scale: "USD 329 (258+71) million".
const BREAKDOWN: &str = r"(?:\s?\([\d\s.,+]+\))?";

fn amount_tail() -> String {
    format!(
        r"(?:\s?(?P<scale>{SCALE})|(?P<short>{SHORT}))?(?:\s+(?P<num_b>{NUM})\s?(?P<scale_b>{SCALE}))?"
    )
}

/// "and 43 cents" after an amount: tried before a range, so "$20 and 43 cents" is one amount.
fn minor_tail() -> String {
    format!(
        r"(?:,?\s+(?:and\s+)?(?P<minor>\d{{1,2}})\s?(?P<minor_unit>{}))",
        currency::minor_pattern()
    )
}

fn prefix_source() -> String {
    format!(
        r"(?P<cur>{pre}|(?P<glued>{glued}))\s?(?P<num>{SPACED_COMMA}|{NUM})(?:{minor}|(?:{RANGE}(?:{pre})?\s?(?P<num2>{NUM}))?{BREAKDOWN}{tail})",
        pre = currency::prefix_pattern(),
        glued = currency::glued_pattern(),
        tail = amount_tail(),
        minor = minor_tail(),
    )
}

fn suffix_source() -> String {
    format!(
        r"(?-u:\b)(?P<num>{SPACED_COMMA}|{NUM})(?:{RANGE}(?P<num2>{NUM}))?{BREAKDOWN}{tail}\.?(?P<gap>\s?)(?:of\s+)?(?P<cur>{suf}){minor}?",
        suf = currency::suffix_pattern(),
        tail = amount_tail(),
        minor = minor_tail(),
    )
}

fn words_source() -> String {
    format!(
        r"(?:^|[\s(«“„'])(?P<words>{CARDINAL})\s+(?:(?P<scale>{SCALE})\.?\s+)?(?:of\s+)?(?P<cur>{suf})",
        suf = currency::suffix_pattern(),
        CARDINAL = *CARDINAL,
    )
}

fn minor_source() -> String {
    format!(
        r"(?-u:\b)(?P<minor>\d{{1,3}})\s?(?P<minor_unit>{})",
        currency::minor_pattern()
    )
}

fn bare_source() -> String {
    format!(
        r"(?:(?-u:\b)(?P<num>{NUM})|(?:^|[\s(])(?P<words>{CARDINAL}))\s?(?P<scale>(?i:millions?|billions?|trillions?|mln|bln|bn|миллиард(?:ов|а)?|миллион(?:ов|а)?|млрд\.?|млн\.?|трлн\.?))",
        CARDINAL = *CARDINAL,
    )
}

/// The forms an amount takes, tried in this order at each position of the text.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Form {
    Prefix,
    Suffix,
    Words,
    Minor,
    Bare,
}

const FORMS: [(Form, &str); 5] = [
    (Form::Prefix, "p_"),
    (Form::Suffix, "s_"),
    (Form::Words, "w_"),
    (Form::Minor, "m_"),
    (Form::Bare, "b_"),
];

/// Every form in one regex, so the text is read once: each form's groups carry its prefix
/// ("p_num", "s_num").
static MONEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    let sources = [
        prefix_source(),
        suffix_source(),
        words_source(),
        minor_source(),
        bare_source(),
    ];
    let all: Vec<String> = FORMS
        .iter()
        .zip(sources)
        .map(|((_, ns), src)| format!("(?P<{ns}all>{})", src.replace("(?P<", &format!("(?P<{ns}"))))
        .collect();
    // The forms together make a large automaton: room for its states keeps the regex
    // engine on its fast path instead of rebuilding them over and over.
    regex::RegexBuilder::new(&all.join("|"))
        .dfa_size_limit(64 << 20)
        .build()
        .expect("money regex")
});

/// One match of [`MONEY_RE`], read through the groups of the form that matched.
struct Groups<'h> {
    caps: Captures<'h>,
    form: Form,
    ns: &'static str,
}

impl<'h> Groups<'h> {
    fn new(caps: Captures<'h>) -> Option<Self> {
        let (form, ns) = FORMS
            .iter()
            .find(|(_, ns)| caps.name(&format!("{ns}all")).is_some())?;
        Some(Groups {
            caps,
            form: *form,
            ns,
        })
    }
    fn name(&self, n: &str) -> Option<regex::Match<'h>> {
        self.caps.name(&format!("{}{n}", self.ns))
    }
    fn whole(&self) -> Option<regex::Match<'h>> {
        self.name("all")
    }
}

/// Words near an amount that show the sentence is about money: the lexicon's measure cues
/// and words about paying.
static MONEY_CONTEXT_RE: LazyLock<Regex> = LazyLock::new(|| {
    let lx = lexicon();
    let m = &lx.measures;
    let lists = [
        &m.export,
        &m.import,
        &m.investment,
        &m.turnover,
        &m.other,
        &lx.currencies.money_words,
    ];
    let words: Vec<String> = lists.iter().map(|l| alternation(l)).collect();
    Regex::new(&format!(r"(?i)\b(?:{})\b", words.join("|"))).expect("money context regex")
});

static QUALIFIER_RES: LazyLock<Vec<(Regex, Qualifier)>> = LazyLock::new(|| {
    let q = &lexicon().currencies.qualifiers;
    [
        (&q.about, Qualifier::About),
        (&q.nearly, Qualifier::Nearly),
        (&q.over, Qualifier::Over),
        (&q.under, Qualifier::Under),
    ]
    .into_iter()
    .map(|(words, kind)| {
        let re = Regex::new(&format!(r"(?i)(?:^|[^\w])(?:{})\s*$", alternation(words)))
            .expect("qualifier regex (lexicon tested)");
        (re, kind)
    })
    .collect()
});

/// The qualifier written right before `start`, if any.
fn qualifier_before(text: &str, start: usize) -> Option<Qualifier> {
    let from = floor_char(text, start.saturating_sub(40));
    let before = &text[from..start];
    // The longest phrase wins: "no more than" is not "more than".
    QUALIFIER_RES
        .iter()
        .filter_map(|(re, kind)| re.find(before).map(|m| (m.len(), *kind)))
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

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

/// Russian scale words and currencies mean the number uses a decimal comma.
fn is_russian(s: &str) -> bool {
    s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// The text writes decimals with a comma somewhere ("20,5%", "2,1 times", "360,5 mln"):
/// a comma followed by one, two or four and more digits.
fn writes_decimal_comma(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 1;
    while i + 1 < b.len() {
        if b[i] == b',' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() {
            let run = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if run != 3 {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Reads the number of an amount. With a scale word, "1,345 billion" is ambiguous: Russian
/// text and text that writes decimal commas elsewhere mean 1.345 billion; an English "1,345"
/// of a billion or more is still read as 1.345 when its digits after the comma are not 000
/// and the text writes decimal commas. "1, 118 bln" is read only in such a text.
fn read_number(raw: &str, ru: bool, scale: f64, text: &str) -> Option<f64> {
    let spaced = raw.contains(", ");
    let compact: String = raw.replace(", ", ",");
    let single_group = {
        let mut parts = compact.split(',');
        let head = parts.next().unwrap_or("");
        let tail: Vec<&str> = parts.collect();
        tail.len() == 1
            && tail[0].len() == 3
            && !head.contains('.')
            && head.chars().all(|c| c.is_ascii_digit())
    };
    if spaced {
        return (scale > 1.0 && single_group && (ru || writes_decimal_comma(text)))
            .then(|| parse_number(&compact, true))
            .flatten();
    }
    let decimal = ru || (single_group && scale > 1.0 && writes_decimal_comma(text));
    parse_number(raw, decimal)
}

fn scale_of(caps: &Groups) -> f64 {
    caps.name("scale")
        .or_else(|| caps.name("short"))
        .and_then(|s| scale_value(s.as_str()))
        .unwrap_or(1.0)
}

/// Keeps cents exact: 90.8 × 1e6 must print as 90800000, not 90799999.99.
fn round_cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn ends_at_word_boundary(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn starts_at_word_boundary(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// An exchange rate ("USD1=RM4.40") or a piece of arithmetic is not an amount.
fn is_rate(text: &str, start: usize, end: usize) -> bool {
    text[..start].trim_end().ends_with('=') || text[end..].trim_start().starts_with('=')
}

/// "in 2019 dollars" is a price level, not 2019 dollars.
fn is_year_of_prices(text: &str, caps: &Groups) -> bool {
    let Some(n) = caps.name("num") else {
        return false;
    };
    let year_like = n.as_str().len() == 4
        && n.as_str()
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y));
    year_like
        && caps.name("scale").is_none()
        && caps.name("short").is_none()
        && matches!(word_before(text, n.start()).as_str(), "in" | "of")
}

/// The parts of one matched amount, before it becomes a [`Money`].
struct Parsed {
    start: usize,
    end: usize,
    amount: f64,
    max: Option<f64>,
    currency: &'static str,
}

/// Reads the number, range, compound and minor parts of a prefix or suffix match.
fn parse_amount(text: &str, caps: &Groups, code: &'static str) -> Option<Parsed> {
    let m = caps.whole()?;
    let num = caps.name("num")?;
    let scale = scale_of(caps);
    let ru = is_russian(m.as_str());
    let mut start = m.start();
    let mut amount = read_number(num.as_str(), ru, scale, near(text, m.start()))? * scale;
    let mut max = None;
    if let (Some(n2), Some(join)) = (caps.name("num2"), caps.name("join")) {
        let upper = read_number(n2.as_str(), ru, scale, near(text, m.start()))? * scale;
        let word = word_before(text, m.start());
        let join = join.as_str().trim();
        let change = matches!(word.as_str(), "from" | "с" | "со");
        let between = matches!(word.as_str(), "between" | "между");
        let needs_between = matches!(join, "and" | "и");
        if upper > amount && !change && (between || !needs_between) {
            max = Some(round_cents(upper));
        } else {
            // "from 2 to 3 billion": the figure is the second; the first is another one.
            amount = upper;
            if caps.name("glued").is_none()
                && caps.name("cur").is_some_and(|c| c.start() > num.start())
            {
                start = n2.start();
            }
        }
    }
    if let (Some(nb), Some(sb)) = (caps.name("num_b"), caps.name("scale_b")) {
        let sb = scale_value(sb.as_str())?;
        if sb >= scale {
            return None;
        }
        amount += read_number(nb.as_str(), ru, sb, near(text, m.start()))? * sb;
    }
    if let (Some(minor), Some(unit)) = (caps.name("minor"), caps.name("minor_unit")) {
        if currency::minor_code(unit.as_str()).is_some_and(|c| c == code) {
            let cents: f64 = minor.as_str().parse().ok()?;
            amount += cents / 10f64.powi(currency::minor_exponent(code) as i32);
        } else {
            return None;
        }
    }
    let end = start.max(m.start()) + text[start.max(m.start())..m.end()].trim_end().len();
    Some(Parsed {
        start,
        end,
        amount: round_cents(amount),
        max,
        currency: code,
    })
}

/// The lowercased word right before `start`.
fn word_before(text: &str, start: usize) -> String {
    let before = text[..start].trim_end();
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect();
    word.chars().rev().collect::<String>().to_lowercase()
}

fn money(text: &str, p: Parsed) -> Option<Money> {
    if !p.amount.is_finite() || p.amount <= 0.0 || p.end <= p.start {
        return None;
    }
    Some(Money {
        amount: p.amount,
        currency: Some(p.currency.to_string()),
        text: text[p.start..p.end].to_string(),
        start: p.start,
        end: p.end,
        inferred_currency: false,
        max: p.max,
        qualifier: qualifier_before(text, p.start),
    })
}

/// A match with a sign, code or glued prefix before the number.
fn prefix_amount(text: &str, caps: &Groups) -> Option<Parsed> {
    let m = caps.whole()?;
    let cur = caps.name("cur")?.as_str();
    // "USD", "RM" etc. must be a word of their own; "$" and signs need no boundary.
    if cur.chars().any(char::is_alphabetic) && !starts_at_word_boundary(text, m.start()) {
        return None;
    }
    if let Some(g) = caps.name("glued") {
        // "R29.3 billion": with a scale, and a single letter glued to the number ("KSh 107
        // billion" may have a space); "R 5" or "R5" alone is a road, a grade.
        let glued_tight = g.end() == caps.name("num")?.start() || g.as_str().chars().count() > 1;
        if !glued_tight || (caps.name("scale").is_none() && caps.name("short").is_none()) {
            return None;
        }
    }
    let code = currency_of(cur, text, caps)?;
    parse_amount(text, caps, code)
}

/// The currency of a matched sign, code or name; a code that is also a word ("TRY") only
/// with a scale word. A weak name or a bare code ("90 pounds", "PHP 7.4") needs a scale
/// word, cents ("CHF 3.04") or words about money nearby.
fn currency_of(cur: &str, text: &str, caps: &Groups) -> Option<&'static str> {
    let scaled = caps.name("scale").is_some() || caps.name("short").is_some();
    let code = match currency::word_code(cur.trim()) {
        Some(code) if scaled => code,
        _ => currency::resolve(cur, near(text, caps.whole()?.start()))?,
    };
    if !scaled && currency::is_weak(cur) {
        let cents = caps
            .name("num")
            .and_then(|n| n.as_str().rsplit_once('.'))
            .is_some_and(|(_, d)| d.len() == 2);
        let m = caps.whole()?;
        if !cents && !money_context(text, m.start(), m.end()) {
            return None;
        }
    }
    Some(code)
}

/// The text within a few thousand bytes of `at`: what the rest of a passage says about how
/// it writes numbers and which countries it names, at a bounded cost on a long text.
fn near(text: &str, at: usize) -> &str {
    const REACH: usize = 3000;
    &text[floor_char(text, at.saturating_sub(REACH))..ceil_char(text, (at + REACH).min(text.len()))]
}

/// A match with a name, code or sign after the number.
fn suffix_amount(text: &str, caps: &Groups) -> Option<Parsed> {
    let cur = caps.name("cur")?;
    // "4.3BSD", "24AWG": letters glued to a number name a thing, not a currency.
    let glued = caps.name("gap").is_some_and(|g| g.as_str().is_empty());
    if is_year_of_prices(text, caps) || glued && cur.as_str().starts_with(char::is_alphabetic) {
        return None;
    }
    let code = currency_of(cur.as_str(), text, caps)?;
    parse_amount(text, caps, code)
}

fn words_amount(text: &str, caps: &Groups) -> Option<Parsed> {
    let words = caps.name("words")?;
    let m = caps.whole()?;
    let value = numwords::cardinal(words.as_str())?;
    let scale = caps
        .name("scale")
        .and_then(|s| scale_value(s.as_str()))
        .unwrap_or(1.0);
    // "a ruble loan" is no amount; "a billion dollars" is.
    let article = matches!(words.as_str().to_lowercase().as_str(), "a" | "an");
    if article && caps.name("scale").is_none() {
        return None;
    }
    let code = currency_of(caps.name("cur")?.as_str(), text, caps)?;
    Some(Parsed {
        start: words.start(),
        end: m.end(),
        amount: round_cents(value * scale),
        max: None,
        currency: code,
    })
}

fn minor_alone(text: &str, caps: &Groups) -> Option<Parsed> {
    let m = caps.whole()?;
    if !money_context(text, m.start(), m.end()) {
        return None;
    }
    let code = currency::minor_code(caps.name("minor_unit")?.as_str())?;
    let n: f64 = caps.name("minor")?.as_str().parse().ok()?;
    Some(Parsed {
        start: m.start(),
        end: m.end(),
        amount: n / 10f64.powi(currency::minor_exponent(code) as i32),
        max: None,
        currency: code,
    })
}

/// Finds money amounts in `text`, leftmost-longest, without overlaps.
pub fn find(text: &str) -> Vec<Money> {
    let mut found: Vec<Money> = Vec::new();
    let mut bare: Vec<Groups> = Vec::new();
    // Spans looked at and rejected ("USD 1, 118 bln" in an English text) are not read again
    // as something smaller ("118 bln").
    let mut rejected: Vec<(usize, usize)> = Vec::new();
    for caps in MONEY_RE.captures_iter(text) {
        let Some(g) = Groups::new(caps) else { continue };
        let Some(m) = g.whole() else { continue };
        let end = m.start() + m.as_str().trim_end().len();
        let dotted = m.as_str().trim_end().ends_with('.');
        if !ends_at_word_boundary(text, end) && !dotted || is_rate(text, m.start(), end) {
            continue;
        }
        let parsed = match g.form {
            Form::Prefix => prefix_amount(text, &g),
            Form::Suffix => suffix_amount(text, &g),
            Form::Words => words_amount(text, &g),
            Form::Minor => minor_alone(text, &g),
            Form::Bare => {
                bare.push(g);
                continue;
            }
        };
        match parsed.and_then(|p| money(text, p)) {
            Some(x) => found.push(x),
            None => rejected.push((m.start(), end)),
        }
    }
    let mut found = leftmost_longest(found);
    read_bare(text, &mut found, &bare, &rejected);
    found
}

/// Bare amounts (`312.507 million`, `полтора миллиарда`) in a sentence about money, not
/// overlapping the others.
fn read_bare(text: &str, found: &mut Vec<Money>, bare: &[Groups], rejected: &[(usize, usize)]) {
    let mut extra = Vec::new();
    for caps in bare {
        let (Some(m), Some(scale_m)) = (caps.whole(), caps.name("scale")) else {
            continue;
        };
        let start = caps
            .name("num")
            .or_else(|| caps.name("words"))
            .map_or(m.start(), |n| n.start());
        let overlaps = |&(a, b): &(usize, usize)| a < m.end() && start < b;
        if found.iter().any(|f| overlaps(&(f.start, f.end))) || rejected.iter().any(overlaps) {
            continue;
        }
        if counts_things(&text[m.end()..]) || is_rate(text, start, m.end()) {
            continue;
        }
        let has_currency = found
            .iter()
            .any(|f| f.end + 200 >= start && f.start <= m.end() + 200);
        if !has_currency && !money_context(text, start, m.end()) {
            continue;
        }
        let scale = scale_value(scale_m.as_str()).unwrap_or(1.0);
        let ru = is_russian(m.as_str());
        let value = match (caps.name("num"), caps.name("words")) {
            (Some(n), _) => read_number(n.as_str(), ru, scale, near(text, start)),
            (None, Some(w)) => numwords::cardinal(w.as_str()),
            _ => None,
        };
        let Some(value) = value else { continue };
        // Take the currency of the nearest figure that has one.
        let currency = found
            .iter()
            .filter(|f| f.currency.is_some())
            .min_by_key(|f| f.start.abs_diff(start))
            .and_then(|f| f.currency.clone());
        let amount = round_cents(value * scale);
        if amount <= 0.0 {
            continue;
        }
        extra.push(Money {
            amount,
            inferred_currency: currency.is_some(),
            currency,
            text: text[start..m.end()].to_string(),
            start,
            end: m.end(),
            max: None,
            qualifier: qualifier_before(text, start),
        });
    }
    found.extend(extra);
    found.sort_by_key(|f| f.start);
}

/// Words near an amount (160 bytes before, 80 after) that show the sentence is about money.
fn money_context(text: &str, start: usize, end: usize) -> bool {
    let window_start = floor_char(text, start.saturating_sub(160));
    let window_end = ceil_char(text, (end + 80).min(text.len()));
    MONEY_CONTEXT_RE.is_match(&text[window_start..window_end])
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

    fn amounts(s: &str) -> Vec<(f64, String)> {
        find(s)
            .into_iter()
            .map(|m| (m.amount, m.currency.unwrap_or_default()))
            .collect()
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
    }

    #[test]
    fn glued_prefixes_need_a_scale() {
        assert_eq!(
            amounts("rose to R29.3 billion"),
            vec![(29.3e9, "ZAR".into())]
        );
        assert_eq!(amounts("target of RM60.2bil"), vec![(60.2e9, "MYR".into())]);
        assert_eq!(amounts("up to Sh7.4 billion"), vec![(7.4e9, "KES".into())]);
        assert!(amounts("the R5 road and grade R2").is_empty());
    }

    #[test]
    fn decimal_comma_follows_the_text() {
        let t = "fell 20,5% to US$ 1,345 billion";
        assert_eq!(amounts(t), vec![(1.345e9, "USD".into())]);
        let t = "grew 2,1 times to USD 1, 118 bln";
        assert_eq!(amounts(t), vec![(1.118e9, "USD".into())]);
        // Without a decimal comma elsewhere, "1, 118 bln" is not guessed at.
        assert!(amounts("trade reached USD 1, 118 bln").is_empty());
        assert_eq!(
            amounts("revenue of $1,345 million"),
            vec![(1.345e9, "USD".into())]
        );
    }

    #[test]
    fn breakdown_in_brackets() {
        assert_eq!(
            amounts("amounted to USD 329 (258+71) million"),
            vec![(329e6, "USD".into())]
        );
    }

    #[test]
    fn ranges_changes_and_qualifiers() {
        let v = find("between $2-3 billion");
        assert_eq!((v[0].amount, v[0].max), (2e9, Some(3e9)));
        let v = find("от 2 до 3 млрд долларов");
        assert_eq!((v[0].amount, v[0].max), (2e9, Some(3e9)));
        let v = find("rose from 2 to 3 billion dollars");
        assert_eq!((v[0].amount, v[0].max), (3e9, None));
        let v = find("свыше 5 млрд рублей");
        assert_eq!(v[0].qualifier, Some(Qualifier::Over));
        let v = find("no more than $5 million");
        assert_eq!(v[0].qualifier, Some(Qualifier::Under));
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
            "USD1=RM4.40",
            "in 2019 dollars",
            "TOP 10 firms",
        ] {
            assert!(find(s).is_empty(), "{s}: {:?}", find(s));
        }
    }
}
