//! Question understanding: decides whether a question asks for a trade figure, a date, a
//! timeline or a passage, and pulls out what it constrains (years, countries, measure,
//! share, total, hedged figures, event words). Works on what people type in chats:
//! lowercase, no question mark, typos, `/commands`, English and Russian.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::aliases::{Aliases, EntityId};
use crate::extract::kinds::{kind_spans, kinds_of, Kinds};
use crate::extract::Measure;
use crate::lexicon::{self, lexicon};
use crate::text;

pub mod chatter;

/// The language a question is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// Mostly Cyrillic text is Russian.
    pub fn detect(s: &str) -> Lang {
        if text::is_cyrillic(s) {
            Lang::Ru
        } else {
            Lang::En
        }
    }
}

/// What kind of answer a question wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    Trade,
    Date,
    Timeline,
    Passage,
}

/// An understood question.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The question as typed.
    pub raw: String,
    /// The question without its `/command` and bot mention.
    pub text: String,
    pub intent: Intent,
    pub lang: Lang,
    /// Years named, in order (a range gives its two ends in `range`).
    pub years: Vec<i32>,
    pub range: Option<(i32, i32)>,
    pub countries: Vec<EntityId>,
    /// Export, import or investment when asked for; `None` means trade turnover.
    pub measure: Option<Measure>,
    pub wants_share: bool,
    pub wants_total: bool,
    /// Asks for a potential, target or forecast rather than what happened.
    pub wants_hedged: bool,
    /// Asks how figures changed over the years.
    pub wants_trend: bool,
    /// Asks for a whole year's figure ("full-year", "annual"): part-year figures don't do.
    pub wants_full_year: bool,
    /// The part of a year asked about ("first quarter of 2023"), as months.
    pub period: Option<(u32, u32)>,
    /// Content words (stems) that describe an event: "treaty", "friendship", "signed".
    pub event_words: Vec<EventWord>,
    /// The kinds of event asked about ("ratify" → ratification), empty when none is named.
    pub event_kinds: Kinds,
}

/// A content word of a question, as typed and as stemmed.
#[derive(Debug, Clone, Serialize)]
pub struct EventWord {
    /// The word, lowercased.
    pub word: String,
    pub stem: String,
    /// Written as a name (capitalised inside the question, or all capitals): a name the
    /// documents never use cannot be left unmatched.
    pub name: bool,
    /// Part of the words that name a kind of event ("signed", "come into force").
    pub kind: bool,
}

/// Whether the word at `start..end` of `text` is written as a name: capitalised but not
/// the question's first word, or all capitals ("EAEU").
fn written_as_name(text: &str, start: usize, end: usize) -> bool {
    let word = &text[start..end];
    let Some(first) = word.chars().next() else {
        return false;
    };
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let first_word = !text[..start].chars().any(char::is_alphanumeric);
    all_caps || first.is_uppercase() && !first_word
}

impl Question {
    /// The question has nothing to search with: empty, punctuation, emoji.
    pub fn is_blank(&self) -> bool {
        !self.text.chars().any(char::is_alphanumeric)
    }
}

static RANGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(1[89]\d\d|20\d\d)\s*(?:-|–|—|to|and|until|till|through|по|до|и)\s*(1[89]\d\d|20\d\d)(?-u:\b)")
        .expect("range regex")
});
static YEAR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(1[89]\d\d|20\d\d)(?-u:\b)").expect("year regex"));

/// The part of a year a question asks about, as months: a stated period ("Q1 2024",
/// "jan-july 2023", "за 9 месяцев 2023 года"), else one month with its year ("jan 2017",
/// "в марте 2023 года"), so a figure for another month never answers it. Both need a year,
/// so a question without one (`has_year`) is not searched for them: dates are costly to find.
fn asked_period(text: &str, has_year: bool) -> Option<(u32, u32)> {
    use crate::extract::{dates, DateOrder, Grain};
    if !has_year {
        return None;
    }
    if let Some(p) = dates::find_periods(text).first() {
        return Some((p.from_month, p.to_month));
    }
    let months: Vec<u32> = dates::find(text, None, &[], DateOrder::default())
        .iter()
        .filter(|d| d.date.grain() == Grain::Month)
        .filter_map(|d| d.date.month)
        .collect();
    match months.as_slice() {
        [m] => Some((*m, *m)),
        _ => None,
    }
}

fn contains_cue(lower: &str, cues: &[String]) -> bool {
    lexicon::contains_cue(lower, cues)
}

/// True when a word is (or is a typo of) one of the trade cue words.
fn is_trade_word(word: &str) -> bool {
    let w = word.to_lowercase();
    if lexicon()
        .question
        .trade
        .iter()
        .any(|c| w.starts_with(c.as_str()))
    {
        return true;
    }
    static TYPED: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
        [
            "trade",
            "turnover",
            "exports",
            "imports",
            "товарооборот",
            "торговля",
            "экспорт",
            "импорт",
        ]
        .iter()
        .map(|c| c.chars().collect())
        .collect()
    });
    let w: Vec<char> = w.chars().collect();
    let budget = text::typo_budget_chars(w.len());
    budget > 0
        && TYPED.iter().any(|c| {
            c.len().abs_diff(w.len()) <= budget
                && text::could_be_typo(&w, c)
                && text::edit_distance_chars(&w, c, budget) <= budget
        })
}

/// What a question asks to be measured, read with the documents' own measure words
/// (`[measures]` in the lexicon: "shipments", "вывоз", "ввоз" as well as "exports");
/// `None` is trade turnover.
fn asked_measure(text: &str) -> Option<Measure> {
    static MEASURES: LazyLock<Vec<(Measure, Regex)>> = LazyLock::new(|| {
        let m = &lexicon().measures;
        [
            (Measure::Export, &m.export),
            (Measure::Import, &m.import),
            (Measure::Investment, &m.investment),
        ]
        .into_iter()
        .map(|(measure, words)| (measure, lexicon::words_regex(words)))
        .collect()
    });
    MEASURES
        .iter()
        .find(|(_, re)| re.is_match(text))
        .map(|(m, _)| *m)
}

/// Splits a leading `/command` (with an optional `@BotName`) from the rest.
pub fn split_command(raw: &str) -> (Option<String>, &str) {
    let t = raw.trim_start();
    let Some(rest) = t.strip_prefix('/') else {
        return (None, t);
    };
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..end];
    let name = word.split('@').next().unwrap_or("").to_lowercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return (None, t);
    }
    (Some(name), rest[end..].trim_start())
}

/// Only this many characters of a question are read (Telegram's own message limit): the
/// rest of a longer one is ignored, so a megabyte of text costs no more than a message.
pub const MAX_QUESTION_CHARS: usize = 4096;

/// Understands a question.
pub fn parse(raw: &str, aliases: &Aliases) -> Question {
    let (command, rest) = split_command(raw);
    let rest = match rest.char_indices().nth(MAX_QUESTION_CHARS) {
        Some((cut, _)) => &rest[..cut],
        None => rest,
    };
    // Greetings, courtesy, mentions, emoji and markup say nothing about what is asked.
    let text = chatter::strip(rest);
    let lower = format!(" {} ", text.to_lowercase());
    let lang = Lang::detect(&text);

    let mut years: Vec<i32> = Vec::new();
    let mut range = None;
    if let Some(c) = RANGE_RE.captures(&text) {
        let a: i32 = c[1].parse().unwrap_or(0);
        let b: i32 = c[2].parse().unwrap_or(0);
        if a < b {
            range = Some((a, b));
        }
    }
    for c in YEAR_RE.captures_iter(&text) {
        if let Ok(y) = c[1].parse::<i32>() {
            if !years.contains(&y) {
                years.push(y);
            }
        }
    }
    if range.is_none() && years.len() >= 2 {
        let (lo, hi) = (
            years.iter().min().copied().unwrap_or(0),
            years.iter().max().copied().unwrap_or(0),
        );
        range = Some((lo, hi));
    }

    let mut analyzer = text::analyzer();
    let terms = text::terms(&mut analyzer, &text);
    let mentions = aliases.find(&text, &terms, true);
    let mut countries: Vec<EntityId> = Vec::new();
    for m in &mentions {
        if !countries.contains(&m.entity) {
            countries.push(m.entity);
        }
    }
    let in_mention = |start: usize| mentions.iter().any(|m| start >= m.start && start < m.end);

    let words: Vec<(&text::Term, String)> = terms
        .iter()
        .map(|t| (t, text[t.start..t.end].to_lowercase()))
        .collect();
    let has_trade_word = words.iter().any(|(_, w)| is_trade_word(w));
    // Typed country names with typos ("kazahstan").
    for (t, w) in &words {
        if in_mention(t.start) || text::is_stop_word(w) || is_trade_word(w) || w.chars().count() < 5
        {
            continue;
        }
        if let Some(id) = aliases.fuzzy_entity(w) {
            if !countries.contains(&id) {
                countries.push(id);
            }
        }
    }

    let content_words = words
        .iter()
        .filter(|(t, w)| !text::is_stop_word(w) && !in_mention(t.start) && !YEAR_RE.is_match(w))
        .count();
    let forced = command.as_deref();
    let intent = match forced {
        Some("trade") => Intent::Trade,
        Some("when") | Some("date") => Intent::Date,
        Some("timeline") => Intent::Timeline,
        _ if contains_cue(&lower, &lexicon().question.timeline) => Intent::Timeline,
        // "когда было подписано соглашение о торговле": a date asked of a trade agreement.
        _ if has_trade_word
            && (!years.is_empty()
                || contains_cue(&lower, &lexicon().question.quantity)
                || content_words <= 2)
            && !(years.is_empty() && contains_cue(&lower, &lexicon().question.date)) =>
        {
            Intent::Trade
        }
        _ if contains_cue(&lower, &lexicon().question.date) => Intent::Date,
        // "what was signed in 2003": a kind of event in a year.
        _ if !years.is_empty() && !has_trade_word && !kinds_of(&text).is_empty() => Intent::Date,
        _ => Intent::Passage,
    };

    let measure = asked_measure(&text);

    let kind_spans = kind_spans(&text);
    let event_words = words
        .iter()
        .filter(|(t, w)| {
            !text::is_stop_word(w)
                && !in_mention(t.start)
                && !YEAR_RE.is_match(w)
                && !lexicon().question.frame_words.contains(w)
                && !is_trade_word(w)
                && w.chars().any(char::is_alphabetic)
        })
        .map(|(t, w)| EventWord {
            word: w.clone(),
            stem: t.term.clone(),
            name: written_as_name(&text, t.start, t.end),
            kind: kind_spans.iter().any(|&(a, b)| t.start >= a && t.end <= b),
        })
        .collect();

    let period = asked_period(&text, !years.is_empty());
    Question {
        raw: raw.to_string(),
        intent,
        lang,
        years,
        range,
        countries,
        measure,
        wants_share: contains_cue(&lower, &lexicon().question.share),
        wants_total: contains_cue(&lower, &lexicon().question.total),
        wants_hedged: contains_cue(&lower, &lexicon().question.hedged),
        wants_trend: contains_cue(&lower, &lexicon().question.trend) || range.is_some(),
        wants_full_year: contains_cue(&lower, &lexicon().question.full_year),
        period,
        event_words,
        event_kinds: kinds_of(&text),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Question {
        parse(s, &Aliases::builtin())
    }

    #[test]
    fn trade_questions_in_many_shapes() {
        for s in [
            "What was the trade turnover between Kyrgyzstan and Kazakhstan in 2002?",
            "trade 2000",
            "/trade 2003",
            "/trade@FactBot kz kg 2023",
            "how much was mutual trade in 2001",
            "turnovr 2002",
            "товарооборот в 2023 году",
            "How big could trade between Kazakhstan and Kyrgyzstan become?",
        ] {
            assert_eq!(q(s).intent, Intent::Trade, "{s}");
        }
    }

    #[test]
    fn date_and_passage_questions() {
        assert_eq!(
            q("When was the Treaty of Eternal Friendship signed?").intent,
            Intent::Date
        );
        assert_eq!(
            q("когда были установлены дипломатические отношения").intent,
            Intent::Date
        );
        assert_eq!(q("What happened in 1997?").intent, Intent::Date);
        assert_eq!(q("/timeline").intent, Intent::Timeline);
        assert_eq!(q("/when treaty of eternal friendship").intent, Intent::Date);
        assert_eq!(
            q("Which region of Kyrgyzstan is the most developed?").intent,
            Intent::Passage
        );
        assert_eq!(
            q("How many Kazakh-Kyrgyz joint ventures operated in Kyrgyzstan?").intent,
            Intent::Passage
        );
    }

    #[test]
    fn constraints() {
        let x = q("How did trade between the two countries change from 2000 to 2003?");
        assert_eq!(x.range, Some((2000, 2003)));
        assert!(x.wants_trend);
        let x = q("/trade kz kg 2023");
        assert_eq!(x.countries.len(), 2);
        assert_eq!(x.years, vec![2023]);
        let x = q("What share of Kyrgyzstan's foreign trade fell on Kazakhstan in 2023?");
        assert!(x.wants_share);
        let x = q("What was Kyrgyzstan's total foreign trade turnover in 2023?");
        assert!(x.wants_total && !x.wants_share);
        assert_eq!(x.countries.len(), 1);
        let x = q("exports of kazahstan in 2020");
        assert_eq!(x.measure, Some(Measure::Export));
        assert_eq!(x.countries.len(), 1);
    }

    #[test]
    fn a_month_with_its_year_is_the_period_asked() {
        assert_eq!(q("zim imports from sa jan 2017").period, Some((1, 1)));
        assert_eq!(q("экспорт в марте 2023 года").period, Some((3, 3)));
        assert_eq!(q("trade jan-july 2023").period, Some((1, 7)));
        assert_eq!(q("Q1 2024 trade").period, Some((1, 3)));
        // A day is not a part of a year, and two months are not one period.
        assert_eq!(q("trade on 5 March 2017").period, None);
        assert_eq!(q("trade in March 2017 and May 2018").period, None);
        assert_eq!(q("trade 2017").period, None);
    }

    #[test]
    fn event_words_skip_frame_words() {
        let x = q("When was the Treaty of Eternal Friendship signed?");
        let w: Vec<&str> = x.event_words.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(w, vec!["treaty", "eternal", "friendship", "signed"]);
    }

    #[test]
    fn commands_split() {
        assert_eq!(
            split_command("/trade@Bot 2003"),
            (Some("trade".into()), "2003")
        );
        assert_eq!(split_command("plain text"), (None, "plain text"));
        assert_eq!(split_command("/ a"), (None, "/ a"));
    }
}
