//! Which currency a sign, code or name means. Every ISO 4217 code and the standard's English
//! names come from the `iso_currency` crate; signs, glued prefixes ("R29.3 billion"), short and
//! Russian names, names several currencies share and minor units come from the `[currencies]`
//! section of `src/lexicon.toml`.

use std::collections::HashMap;
use std::sync::LazyLock;

use iso_currency::{Currency, IntoEnumIterator};
use regex::{Regex, RegexSet};

use crate::lexicon::{lexicon, Currencies};

/// What a matched currency word stands for.
#[derive(Debug, Clone, Copy)]
enum Target {
    Code(&'static str),
    /// An index into `[[currencies.shared]]`.
    Shared(usize),
}

struct Table {
    /// Literal signs and glued prefixes.
    literal: HashMap<&'static str, &'static str>,
    /// Name patterns, longest first, each anchored at both ends.
    names: RegexSet,
    targets: Vec<Target>,
    /// The same name patterns as one alternation, for the amount regexes.
    name_alternation: String,
    symbol_alternation: String,
    glued_alternation: String,
    minor: Vec<(Regex, &'static str)>,
    minor_alternation: String,
}

fn lex() -> &'static Currencies {
    &lexicon().currencies
}

/// A code is a currency when ISO 4217 has it and it is not also a word in capitals.
pub fn is_code(s: &str) -> Option<&'static str> {
    let c = Currency::from_code(s)?;
    if word_code(s).is_some() {
        return None;
    }
    Some(c.code())
}

/// "TRY", "SAR", "ALL": codes that are also words, currencies only next to a scale word
/// ("TRY 50 billion"); the code when `s` is one of them.
pub fn word_code(s: &str) -> Option<&'static str> {
    lex()
        .word_codes
        .iter()
        .any(|w| w == s)
        .then(|| Currency::from_code(s).map(|c| c.code()))
        .flatten()
}

static WEAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^(?:{})$", lex().weak_names.join("|")))
        .expect("weak names compile (tested)")
});

/// A name that is also a word or unit ("pounds"), or a bare three-letter code: by itself it
/// does not make a number money.
pub fn is_weak(raw: &str) -> bool {
    let raw = raw.trim();
    let code = raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase());
    code || WEAK.is_match(raw)
}

/// The exponent of a currency's minor unit (2 for cents), from ISO 4217.
pub fn minor_exponent(code: &str) -> u32 {
    Currency::from_code(code)
        .and_then(|c| c.exponent())
        .map_or(2, u32::from)
}

/// The standard's English name as a pattern: "Kuwaiti dinar" finds "Kuwaiti dinars".
fn standard_name_pattern(c: Currency) -> Option<String> {
    let name = c.name();
    if name.contains(['(', '/']) || c.is_fund() || c.is_special() || c.is_superseded().is_some() {
        return None;
    }
    let words: Vec<String> = name.split_whitespace().map(regex::escape).collect();
    // A one-word standard name ("Euro", "Boliviano") is left to the lexicon's own list.
    (words.len() > 1).then(|| format!(r"{}s?", words.join(r"\s+")))
}

/// The length of the shortest text a pattern fragment matches, roughly: optional groups and
/// repeats left out ("сом(?:а|ов)?" is 3, "сомони" 6).
fn literal_len(p: &str) -> usize {
    static OPTIONAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\(\?:[^()]*\)[?*]|\\[ws][*+?]|.\?|\\.").expect("optional-part regex")
    });
    OPTIONAL.replace_all(p, "").chars().count()
}

/// `\w` in a name pattern only ever stands for the letters of a Cyrillic or Latin ending;
/// spelled as those letters it keeps the amount regexes small and fast (a Unicode `\w`
/// inside a large alternation makes the regex engine fall back to a slow path).
fn ascii_word_class(p: &str) -> String {
    p.replace(r"\w", "[a-zа-яё]")
}

fn alternation_longest_first(mut items: Vec<String>) -> String {
    // Longest first: the alternation takes the first that fits, and a shorter name that
    // fits the start of a longer one ("сом" in "сомони") would cut it off.
    items.sort_by_key(|s| std::cmp::Reverse(literal_len(s)));
    items.dedup();
    items.join("|")
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let lx = lex();
    let code_of = |k: &str| Currency::from_code(k).map(|c| c.code());
    let mut literal = HashMap::new();
    let mut symbols = Vec::new();
    for (code, signs) in &lx.symbols {
        for s in signs {
            if let Some(c) = code_of(code) {
                literal.insert(s.as_str(), c);
                symbols.push(regex::escape(s));
            }
        }
    }
    let mut glued = Vec::new();
    for (code, signs) in &lx.glued {
        for s in signs {
            if let Some(c) = code_of(code) {
                literal.entry(s.as_str()).or_insert(c);
                glued.push(regex::escape(s));
            }
        }
    }
    let mut names: Vec<(String, Target)> = Vec::new();
    for (code, pats) in &lx.names {
        if let Some(c) = code_of(code) {
            names.extend(pats.iter().map(|p| (p.clone(), Target::Code(c))));
        }
    }
    for c in Currency::iter() {
        if let Some(p) = standard_name_pattern(c) {
            names.push((p, Target::Code(c.code())));
        }
    }
    for (i, shared) in lx.shared.iter().enumerate() {
        names.extend(shared.names.iter().map(|p| (p.clone(), Target::Shared(i))));
    }
    names.sort_by_key(|(p, _)| std::cmp::Reverse(literal_len(p)));
    let anchored: Vec<String> = names
        .iter()
        .map(|(p, _)| format!(r"(?i)^(?:{p})$"))
        .collect();
    let mut minor = Vec::new();
    let mut minor_pats = Vec::new();
    for (code, pats) in &lx.minor {
        if let Some(c) = code_of(code) {
            for p in pats {
                if let Ok(re) = Regex::new(&format!(r"(?i)^(?:{p})$")) {
                    minor.push((re, c));
                    minor_pats.push(p.clone());
                }
            }
        }
    }
    Table {
        literal,
        names: RegexSet::new(&anchored).expect("currency names compile (tested)"),
        targets: names.iter().map(|(_, t)| *t).collect(),
        name_alternation: alternation_longest_first(
            names
                .into_iter()
                .map(|(p, _)| ascii_word_class(&p))
                .collect(),
        ),
        symbol_alternation: alternation_longest_first(symbols),
        glued_alternation: alternation_longest_first(glued),
        minor,
        minor_alternation: alternation_longest_first(minor_pats),
    }
});

/// Regex source for signs and codes written before an amount (`$`, `US$`, `USD`, `₸`).
pub fn prefix_pattern() -> String {
    format!("{}|[A-Z]{{3}}", TABLE.symbol_alternation)
}

/// Regex source for letters glued before an amount with a scale word (`R`, `RM`, `Ksh`).
pub fn glued_pattern() -> &'static str {
    &TABLE.glued_alternation
}

/// Regex source for names, signs and codes written after an amount.
pub fn suffix_pattern() -> String {
    format!(
        "(?i:{})|{}|[A-Z]{{3}}",
        TABLE.name_alternation, TABLE.symbol_alternation
    )
}

/// Regex source for minor units (`cents`, `копеек`).
pub fn minor_pattern() -> &'static str {
    &TABLE.minor_alternation
}

/// The currency a minor unit belongs to.
pub fn minor_code(raw: &str) -> Option<&'static str> {
    TABLE
        .minor
        .iter()
        .find(|(re, _)| re.is_match(raw))
        .map(|(_, c)| *c)
}

/// The ISO code a matched sign, code or name means in `text`, if it is certain enough.
pub fn resolve(raw: &str, text: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if let Some(c) = TABLE.literal.get(raw) {
        return Some(c);
    }
    // Three capitals are a code or nothing ("GNU 2", "RFC 822"): names are not tried.
    if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
        return is_code(raw);
    }
    let normalized: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let i = TABLE.names.matches(&normalized).into_iter().next()?;
    match TABLE.targets.get(i)? {
        Target::Code(c) => Some(c),
        Target::Shared(k) => resolve_shared(*k, text),
    }
}

/// A shared name ("pesos") means the currency of the one country among its users the text
/// names; with none or several named it means nothing certain.
fn resolve_shared(k: usize, text: &str) -> Option<&'static str> {
    let shared = lex().shared.get(k)?;
    let mut found = shared.codes.iter().filter_map(|code| {
        let c = Currency::from_code(code)?;
        let standard = c
            .used_by()
            .iter()
            .any(|country| text.contains(country_stem(country.name())));
        let local = lex()
            .countries
            .get(code)
            .is_some_and(|words| words.iter().any(|w| text.contains(w.as_str())));
        (standard || local).then(|| c.code())
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// "Mexico" → "Mexic", which also finds "Mexican"; short names stay whole.
fn country_stem(name: &str) -> &str {
    let first = name.split([' ', ',', '(']).next().unwrap_or(name);
    let mut end = first.len();
    if first.chars().count() > 5 {
        end = first.char_indices().last().map_or(end, |(i, _)| i);
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_key_is_an_iso_code_and_every_pattern_compiles() {
        let lx = lex();
        let maps = [&lx.symbols, &lx.glued, &lx.names, &lx.minor, &lx.countries];
        for map in maps {
            for code in map.keys() {
                assert!(
                    Currency::from_code(code).is_some(),
                    "{code} is not ISO 4217"
                );
            }
        }
        for s in &lx.shared {
            for code in &s.codes {
                assert!(
                    Currency::from_code(code).is_some(),
                    "{code} is not ISO 4217"
                );
            }
        }
        for c in &lx.word_codes {
            assert!(Currency::from_code(c).is_some(), "{c} is not ISO 4217");
        }
        Regex::new(&suffix_pattern()).expect("suffix pattern");
        Regex::new(&prefix_pattern()).expect("prefix pattern");
    }

    #[test]
    fn codes_signs_and_names() {
        assert_eq!(resolve("KWD", ""), Some("KWD"));
        assert_eq!(resolve("TOP", ""), None);
        assert_eq!(resolve("₼", ""), Some("AZN"));
        assert_eq!(resolve("RM", ""), Some("MYR"));
        assert_eq!(resolve("Kuwaiti dinars", ""), Some("KWD"));
        assert_eq!(resolve("Turkish lira", ""), Some("TRY"));
        assert_eq!(resolve("лари", ""), Some("GEL"));
        assert_eq!(resolve("долл. США", ""), Some("USD"));
    }

    #[test]
    fn shared_names_follow_the_country_the_text_names() {
        assert_eq!(resolve("pesos", "Mexican exports"), Some("MXN"));
        assert_eq!(resolve("pesos", "Philippines and Mexico"), None);
        assert_eq!(resolve("pesos", "no country"), None);
        assert_eq!(resolve("manat", "Turkmenistan gas"), Some("TMT"));
        assert_eq!(resolve("rupees", "Pakistan"), Some("PKR"));
        assert_eq!(resolve("манатов", "Бюджет Азербайджана"), Some("AZN"));
        assert_eq!(resolve("песо", "мексиканские и чилийские"), None);
    }

    #[test]
    fn minor_units_know_their_currency() {
        assert_eq!(minor_code("cents"), Some("USD"));
        assert_eq!(minor_code("копеек"), Some("RUB"));
        assert_eq!(minor_exponent("KWD"), 3);
        assert_eq!(minor_exponent("JPY"), 0);
    }
}
