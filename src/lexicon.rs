//! The vocabulary documents and questions share: measure cues, hedges, scope and link words,
//! event verbs and question cues, in English and Russian. One data file
//! (`src/lexicon.toml`), compiled in and parsed once; extraction and question understanding
//! both read it, so a word taught to one is known to the other.
//!
//! Countries, blocs and cross-language synonym groups are not here: they are the owner's data
//! (`index/aliases.toml`, [`crate::aliases`]).

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

/// Regular-expression fragments for dated events.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    pub verbs: Vec<String>,
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
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    // The file is part of the source: a test parses it, so a broken one never ships.
    toml::from_str(LEXICON_TOML).expect("src/lexicon.toml is valid (tested)")
});

/// The vocabulary, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Joins regular-expression fragments into one alternation.
pub fn alternation(fragments: &[String]) -> String {
    fragments.join("|")
}

/// Whether any cue occurs in `lower` (a lowercased question padded with spaces).
pub fn contains_cue(lower: &str, cues: &[String]) -> bool {
    cues.iter().any(|c| lower.contains(c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_parses_and_every_list_is_filled() {
        let lex: Lexicon = toml::from_str(LEXICON_TOML).expect("lexicon parses");
        let lists: [&[String]; 24] = [
            &lex.measures.export,
            &lex.measures.import,
            &lex.measures.investment,
            &lex.measures.turnover,
            &lex.measures.other,
            &lex.modality.target,
            &lex.modality.forecast,
            &lex.modality.potential,
            &lex.modality.actual,
            &lex.scope.total,
            &lex.scope.both_sides,
            &lex.links.compared,
            &lex.links.year_earlier,
            &lex.links.part_of,
            &lex.events.verbs,
            &lex.question.trade,
            &lex.question.quantity,
            &lex.question.date,
            &lex.question.timeline,
            &lex.question.share,
            &lex.question.total,
            &lex.question.hedged,
            &lex.question.full_year,
            &lex.question.trend,
        ];
        for l in lists {
            assert!(!l.is_empty());
            assert!(l.iter().all(|w| !w.trim().is_empty()));
        }
    }

    #[test]
    fn every_pattern_compiles() {
        let lex = lexicon();
        for l in [
            &lex.measures.export,
            &lex.measures.import,
            &lex.measures.investment,
            &lex.measures.turnover,
            &lex.measures.other,
            &lex.modality.target,
            &lex.modality.forecast,
            &lex.modality.potential,
            &lex.modality.actual,
            &lex.scope.total,
            &lex.scope.both_sides,
            &lex.links.compared,
            &lex.links.year_earlier,
            &lex.links.part_of,
            &lex.events.verbs,
        ] {
            for w in l {
                regex::Regex::new(w).unwrap_or_else(|e| panic!("pattern {w:?}: {e}"));
            }
        }
    }

    #[test]
    fn question_cues_are_lowercase() {
        let q = &lexicon().question;
        for l in [
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
        ] {
            for w in l {
                assert_eq!(w, &w.to_lowercase(), "cue {w:?} must be lowercase");
            }
        }
    }
}
