//! The vocabulary documents and questions share: measure cues, hedges, scope and link words,
//! event verbs and question cues, in English and Russian. One data file
//! (`src/lexicon.toml`), compiled in and parsed once; extraction and question understanding
//! both read it, so a word taught to one is known to the other.
//!
//! Countries, blocs and cross-language synonym groups are not here: they are the owner's data
//! (`index/aliases.toml`, [`crate::aliases`]).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The lexicon as compiled into the binary.
pub const LEXICON_TOML: &str = include_str!("lexicon.toml");

/// Regular-expression fragments for what a money figure measures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    pub export: Vec<String>,
    pub import: Vec<String>,
    pub investment: Vec<String>,
    pub turnover: Vec<String>,
    pub other: Vec<String>,
}

/// Regular-expression fragments for whether a figure happened or is only hoped for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModalityWords {
    pub target: Vec<String>,
    pub forecast: Vec<String>,
    pub potential: Vec<String>,
    pub actual: Vec<String>,
}

/// Regular-expression fragments for whose trade a figure is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeWords {
    pub total: Vec<String>,
    pub both_sides: Vec<String>,
}

/// Regular-expression fragments that link two figures of a sentence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    pub compared: Vec<String>,
    pub year_earlier: Vec<String>,
    pub part_of: Vec<String>,
}

/// Regular-expression fragments that tie a figure to a period stated before it, mark a
/// percentage as a change, and narrow a figure to a part of trade.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureWords {
    pub same_period: Vec<String>,
    pub rise: Vec<String>,
    pub fall: Vec<String>,
    pub after_only: Vec<String>,
    /// Category name → the words that name it.
    pub categories: BTreeMap<String, Vec<String>>,
}

/// Regular-expression fragments for dated events.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    pub verbs: Vec<String>,
}

/// Regular-expression fragments for the kind of a dated event, in documents and questions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventKinds {
    pub signing: Vec<String>,
    pub ratification: Vec<String>,
    pub entry_into_force: Vec<String>,
    pub establishment: Vec<String>,
    pub accession: Vec<String>,
    pub visit: Vec<String>,
}

/// Regular-expression fragments for who a dated event concerns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventParties {
    pub main_pair: Vec<String>,
    pub place: Vec<String>,
}

/// Cues looked for in a lowercased question (see the file's header).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionCues {
    pub trade: Vec<String>,
    pub quantity: Vec<String>,
    pub date: Vec<String>,
    pub timeline: Vec<String>,
    pub share: Vec<String>,
    pub total: Vec<String>,
    pub hedged: Vec<String>,
    pub full_year: Vec<String>,
    pub trend: Vec<String>,
    pub frame_words: Vec<String>,
}

/// Chat around a question that is not part of it: greetings, courtesy, filler (lowercase,
/// whole words or phrases).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chatter {
    pub phrases: Vec<String>,
    pub words: Vec<String>,
}

/// How news names currencies and qualifies amounts. Maps are keyed by ISO 4217 code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Currencies {
    /// Codes that are also capitalised words ("TOP 10"): never a currency.
    pub word_codes: Vec<String>,
    /// Pattern fragments for names that are also words or units ("pounds"): money only with
    /// a scale word or beside words about money.
    pub weak_names: Vec<String>,
    /// Pattern fragments for words about paying, beside the measure cues.
    pub money_words: Vec<String>,
    /// Literal signs before or after an amount ("$", "US$", "₸").
    pub symbols: BTreeMap<String, Vec<String>>,
    /// Literal letters glued before an amount that has a scale word ("R29.3 billion").
    pub glued: BTreeMap<String, Vec<String>>,
    /// Pattern fragments for names after an amount ("dollars?", "рубл(?:ей|я|ь)").
    pub names: BTreeMap<String, Vec<String>>,
    /// Names several currencies share, told apart by the country the text names.
    pub shared: Vec<SharedName>,
    /// Word starts that name a shared currency's country, beyond the standard's names.
    pub countries: BTreeMap<String, Vec<String>>,
    /// Pattern fragments for minor units ("cents?", "копеек").
    pub minor: BTreeMap<String, Vec<String>>,
    pub qualifiers: Qualifiers,
}

/// A currency name several currencies share ("pesos").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedName {
    pub names: Vec<String>,
    pub codes: Vec<String>,
}

/// Pattern fragments for words that make an amount approximate or a bound.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualifiers {
    pub about: Vec<String>,
    pub nearly: Vec<String>,
    pub over: Vec<String>,
    pub under: Vec<String>,
}

/// The whole vocabulary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub measures: Measures,
    pub modality: ModalityWords,
    pub scope: ScopeWords,
    pub links: Links,
    pub events: Events,
    pub question: QuestionCues,
    pub currencies: Currencies,
    pub chatter: Chatter,
    pub event_kinds: EventKinds,
    pub event_parties: EventParties,
    pub figures: FigureWords,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    // The file is part of the source: a test parses it, so a broken one never ships.
    toml::from_str(LEXICON_TOML).expect("src/lexicon.toml is valid (tested)")
});

/// The vocabulary, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Joins regular-expression fragments into one alternation, the longer first: a regex
/// takes the first alternative that matches at a place, so "trade" would hide "traded" (and
/// a caller that drops matches ending inside a word would then find nothing there).
pub fn alternation(fragments: &[String]) -> String {
    let mut sorted: Vec<&str> = fragments.iter().map(String::as_str).collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.len()));
    sorted.join("|")
}

/// A case-insensitive regular expression matching any of `fragments` as whole words.
/// Panics on a fragment that does not compile: every list is compiled by a test.
pub fn words_regex(fragments: &[String]) -> regex::Regex {
    regex::Regex::new(&format!(r"(?i)\b(?:{})\b", alternation(fragments)))
        .expect("lexicon patterns compile (tested)")
}

/// Whether any cue occurs in `lower` (a lowercased question padded with spaces).
pub fn contains_cue(lower: &str, cues: &[String]) -> bool {
    cues.iter().any(|c| lower.contains(c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternation_tries_longer_fragments_first() {
        let re = regex::Regex::new(&alternation(&["trade".into(), "traded".into()])).expect("re");
        assert_eq!(re.find("they traded").map(|m| m.as_str()), Some("traded"));
    }

    impl Lexicon {
        /// Every regular-expression list, for checks over all of them.
        fn pattern_lists(&self) -> Vec<&[String]> {
            let (m, o, s, l) = (&self.measures, &self.modality, &self.scope, &self.links);
            vec![
                &m.export,
                &m.import,
                &m.investment,
                &m.turnover,
                &m.other,
                &o.target,
                &o.forecast,
                &o.potential,
                &o.actual,
                &s.total,
                &s.both_sides,
                &l.compared,
                &l.year_earlier,
                &l.part_of,
                &self.events.verbs,
                &self.event_kinds.signing,
                &self.event_kinds.ratification,
                &self.event_kinds.entry_into_force,
                &self.event_kinds.establishment,
                &self.event_kinds.accession,
                &self.event_kinds.visit,
                &self.event_parties.main_pair,
                &self.event_parties.place,
                &self.figures.same_period,
                &self.figures.rise,
                &self.figures.fall,
                &self.figures.after_only,
                &self.currencies.weak_names,
                &self.currencies.money_words,
                &self.currencies.qualifiers.about,
                &self.currencies.qualifiers.nearly,
                &self.currencies.qualifiers.over,
                &self.currencies.qualifiers.under,
            ]
        }
        /// Every question cue list.
        fn cue_lists(&self) -> Vec<&[String]> {
            let q = &self.question;
            vec![
                &q.trade,
                &q.quantity,
                &q.date,
                &q.timeline,
                &q.share,
                &q.total,
                &q.hedged,
                &q.full_year,
                &q.trend,
                &q.frame_words,
                &self.chatter.phrases,
                &self.chatter.words,
            ]
        }
    }

    #[test]
    fn lexicon_parses_and_every_list_is_filled() {
        let lex: Lexicon = toml::from_str(LEXICON_TOML).expect("lexicon parses");
        for l in lex.pattern_lists().into_iter().chain(lex.cue_lists()) {
            assert!(!l.is_empty());
            assert!(l.iter().all(|w| !w.trim().is_empty()));
        }
    }

    #[test]
    fn every_pattern_compiles() {
        let categories = lexicon().figures.categories.values().map(Vec::as_slice);
        for l in lexicon().pattern_lists().into_iter().chain(categories) {
            for w in l {
                regex::Regex::new(w).unwrap_or_else(|e| panic!("pattern {w:?}: {e}"));
            }
        }
    }

    #[test]
    fn question_cues_are_lowercase() {
        for l in lexicon().cue_lists() {
            for w in l {
                assert_eq!(w, &w.to_lowercase(), "cue {w:?} must be lowercase");
            }
        }
    }
}
