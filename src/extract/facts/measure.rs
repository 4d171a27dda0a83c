//! What a figure measures (turnover, export, import, investment, other) and which part of
//! trade it covers. Measure rules, first that applies wins: a noun right after the figure
//! ("a $2 million loan"), the cue nearest before it in its sentence, the first after it,
//! then the measure the previous sentence named. Category: a category word next to the
//! figure's measure cue in its clause ("trade in agricultural products", "non-oil exports").

use std::sync::LazyLock;

use regex::Regex;

use super::cues::MEASURES;
use super::sentence::Sentence;
use super::{decide, Explanation, Figure, Measure, MoneyFact, Rule};
use crate::lexicon::{alternation, lexicon};

const RULES: &[Rule<Measure>] = &[
    ("change-amount", change_amount),
    ("noun-after", noun_after),
    ("balance-of-trade", balance_of_trade),
    ("nearest-before", nearest_before),
    ("first-after", first_after),
    ("previous-sentence", previous_sentence),
];

pub(super) fn resolve(
    f: &Figure,
    why: &mut Vec<&'static str>,
    why_category: &mut Vec<&'static str>,
) -> (Measure, Option<String>) {
    let measure = match decide(RULES, f) {
        Some((m, name)) => {
            why.push(name);
            m
        }
        None => Measure::Other,
    };
    let category = category(f, measure);
    if category.is_some() {
        why_category.push("next-to-measure");
    }
    (measure, category)
}

/// Position of a measure in [`MEASURES`]: the more specific come first.
fn rank(m: Measure) -> usize {
    MEASURES.iter().position(|(x, _)| *x == m).unwrap_or(0)
}

/// "Imports increased in 2022 by €237 million, to €897.2 million", "вырос на 100 млн
/// долларов", "an increase of $710 million": an amount of change, not a level of trade.
fn change_amount(f: &Figure) -> Option<Measure> {
    let text = f.s.text;
    let before = text[f.cs..f.start].trim_end();
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    if !matches!(last.to_lowercase().as_str(), "by" | "на" | "of") {
        return None;
    }
    let joint = f.cs + before.len() - last.len();
    // A word of rise or fall within four words before "by"/"of".
    f.s.cues
        .change
        .iter()
        .any(|c| c.1 <= joint && c.0 >= f.cs && !c.3 && words_between(text, c.1, joint) <= 4)
        .then_some(Measure::Other)
}

/// "a 5 billion yuan credit line", "$2 million loan": what follows names the figure.
fn noun_after(f: &Figure) -> Option<Measure> {
    let text = f.s.text;
    let window = text[f.end..]
        .char_indices()
        .nth(14)
        .map_or(text.len(), |(i, _)| f.end + i);
    f.s.cues
        .measures
        .iter()
        .any(|&(a, b, m)| {
            // Right after it, not after a bracket: "$500 billion (deficit of $138 billion)"
            // is not a deficit.
            m == Measure::Other
                && a >= f.end
                && a <= f.end + 2
                && b <= window
                && text[f.end..a].trim().is_empty()
        })
        .then_some(Measure::Other)
}

/// "The trade deficit of Lithuania …", "сальдо торговли Монголии …": a balance, loan or
/// other noun joined to the measure word names the figure, not the trade it is about.
fn balance_of_trade(f: &Figure) -> Option<Measure> {
    let hits = &f.s.cues.measures;
    let nearest = hits
        .iter()
        .filter(|h| h.1 <= f.start && h.0 >= f.cs)
        .max_by_key(|h| (h.1, rank(h.2)))?;
    if nearest.2 == Measure::Other {
        return None;
    }
    let text = f.s.text;
    hits.iter()
        .filter(|h| h.2 == Measure::Other && h.0 >= f.cs && h.1 <= f.start)
        .any(|o| {
            let gap = if o.1 <= nearest.0 {
                words_between(text, o.1, nearest.0)
            } else {
                words_between(text, nearest.1, o.0)
            };
            gap <= 1
        })
        .then_some(Measure::Other)
}

fn nearest_before(f: &Figure) -> Option<Measure> {
    f.s.cues
        .measures
        .iter()
        .filter(|&&(_, b, _)| b <= f.start)
        .max_by_key(|&&(_, b, m)| (b, rank(m)))
        .map(|&(_, _, m)| m)
}

fn first_after(f: &Figure) -> Option<Measure> {
    f.s.cues
        .measures
        .iter()
        .filter(|&&(a, _, _)| a >= f.end)
        .min_by_key(|&&(a, _, m)| (a, rank(m)))
        .map(|&(_, _, m)| m)
}

fn previous_sentence(f: &Figure) -> Option<Measure> {
    f.carry.measure
}

/// The measure a sentence hands to the next: its last figure's, or the first it names.
pub(super) fn carried(
    s: &Sentence,
    facts: &[(MoneyFact, Explanation)],
    before: Option<Measure>,
) -> Option<Measure> {
    match facts.last() {
        Some((m, _)) if m.measure != Measure::Other => Some(m.measure),
        Some(_) => before,
        None => MEASURES
            .iter()
            .filter(|(m, _)| *m != Measure::Other)
            .filter_map(|(m, cue)| cue.spans(s.text).first().map(|&(a, _)| (a, *m)))
            .min_by_key(|(a, _)| *a)
            .map(|(_, m)| m)
            .or(before),
    }
}

struct Category {
    name: String,
    re: Regex,
}

static CATEGORIES: LazyLock<Vec<Category>> = LazyLock::new(|| {
    lexicon()
        .figures
        .categories
        .iter()
        .map(|(name, words)| Category {
            name: name.clone(),
            re: Regex::new(&format!(r"(?i)(?:{})", alternation(words))).expect("category regex"),
        })
        .collect()
});

/// "goods and services", "товаров и услуг": all of trade, not a part of it.
fn with_goods(s: &str, a: usize, b: usize) -> bool {
    let head: Vec<char> = s[..a].chars().collect();
    let head: String = head[head.len().saturating_sub(12)..]
        .iter()
        .collect::<String>()
        .to_lowercase();
    let tail: String = s[b..].chars().take(12).collect::<String>().to_lowercase();
    [
        "goods and ",
        "goods & ",
        "товаров и ",
        "товарами и ",
        "товары и ",
    ]
    .iter()
    .any(|g| head.ends_with(g))
        || tail.starts_with(" and goods")
}

/// The categories named in `s` as whole words, with their byte ranges.
pub fn categories_in(s: &str) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    for c in CATEGORIES.iter() {
        for m in c.re.find_iter(s) {
            let before = s[..m.start()].chars().next_back();
            let after = s[m.end()..].chars().next();
            // "non-oil" is not oil.
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '-')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
                && !with_goods(s, m.start(), m.end())
            {
                out.push((m.start(), m.end(), c.name.as_str()));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Words between two places of a sentence.
fn words_between(s: &str, a: usize, b: usize) -> usize {
    if a >= b {
        return 0;
    }
    s[a..b].split_whitespace().count()
}

/// The part of trade a figure covers: a category word within three words of the measure
/// cue that names the figure, in the figure's clause before it ("trade in agricultural
/// products amounted to", "car exports", "экспорт угля из Монголии").
fn category(f: &Figure, measure: Measure) -> Option<String> {
    if measure == Measure::Other {
        return None;
    }
    let text = f.s.text;
    let cue =
        f.s.cues
            .measures
            .iter()
            .rfind(|&&(a, b, m)| m == measure && a >= f.cs && b <= f.start)?;
    let clause = &text[f.cs..f.start];
    categories_in(clause)
        .into_iter()
        .map(|(a, b, name)| (a + f.cs, b + f.cs, name))
        .find(|&(a, b, _)| {
            let gap = if b <= cue.0 {
                words_between(text, b, cue.0)
            } else {
                words_between(text, cue.1, a)
            };
            gap <= 3
        })
        .map(|(_, _, name)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::categories_in;

    #[test]
    fn category_words_are_whole_words() {
        let names: Vec<&str> = categories_in("non-oil exports and agricultural products")
            .iter()
            .map(|c| c.2)
            .collect();
        assert_eq!(names, vec!["non_oil", "agriculture"]);
        assert!(categories_in("Gasoline prices, boiler").is_empty());
        assert!(categories_in("trade in goods and services").is_empty());
        assert!(categories_in("товарооборот товаров и услуг").is_empty());
    }
}

#[cfg(test)]
mod rules {
    use super::super::tests::explained;
    use super::Measure;

    fn measures(text: &str) -> Vec<(Measure, Option<String>, String)> {
        explained(text, "Armenia and Georgia")
            .into_iter()
            .map(|(m, why)| (m.measure, m.category, why.measure.join("+")))
            .collect()
    }

    #[test]
    fn a_noun_right_after_the_figure_names_it() {
        assert_eq!(
            measures("Armenia's exports grew, and the $300 million loan was signed in 2022.")[0],
            (Measure::Other, None, "noun-after".into())
        );
    }

    #[test]
    fn an_amount_of_change_is_not_a_level() {
        let m =
            measures("Imports from Georgia increased in 2022 by $237 million, to $897.2 million.");
        assert_eq!(m[0], (Measure::Other, None, "change-amount".into()));
        assert_eq!(m[1].0, Measure::Import);
        let m = measures("Экспорт в Грузию вырос на 100 млн долларов и составил 400 млн долларов.");
        assert_eq!((m[0].0, m[1].0), (Measure::Other, Measure::Export));
    }

    #[test]
    fn a_balance_of_trade_is_not_trade() {
        assert_eq!(
            measures("Сальдо торговли Монголии с Китаем в 2022 году составило 6,6 млрд долларов.")
                [0],
            (Measure::Other, None, "balance-of-trade".into())
        );
        assert_eq!(
            measures("The trade deficit of Armenia with Georgia was $1.2 billion in 2022.")[0].0,
            Measure::Other
        );
    }

    #[test]
    fn the_nearest_cue_before_wins_then_the_first_after() {
        let m = measures("Exports reached $320 million in 2022, and imports $350 million.");
        assert_eq!(m[0], (Measure::Export, None, "nearest-before".into()));
        assert_eq!(m[1], (Measure::Import, None, "nearest-before".into()));
        assert_eq!(
            measures("Armenia shipped $40 million worth of exports in 2022.")[0],
            (Measure::Export, None, "first-after".into())
        );
    }

    #[test]
    fn a_sentence_without_a_cue_takes_the_previous_measure() {
        let m = measures("Armenia's exports grew fast. In 2022 they reached $320 million.");
        assert_eq!(m[0], (Measure::Export, None, "previous-sentence".into()));
    }

    #[test]
    fn a_category_next_to_the_measure_narrows_it() {
        let m = measures("Trade in agricultural products between Armenia and Georgia amounted to $96 million in 2022.");
        assert_eq!(m[0].1.as_deref(), Some("agriculture"));
        let m = measures("Экспорт угля из Монголии в Китай в 2023 году составил 7 млрд долларов.");
        assert_eq!(m[0].1.as_deref(), Some("energy"));
        // Far from the measure word, a category word is only context.
        let m = measures("Trade between Armenia and Georgia, helped by strong demand for food, reached $600 million in 2022.");
        assert_eq!(m[0].1, None);
    }
}
