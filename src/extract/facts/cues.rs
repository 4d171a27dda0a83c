//! Cue words of the lexicon as whole-word regular expressions, and the hits of every cue in
//! one sentence, found once and shared by the resolvers.

use std::sync::LazyLock;

use regex::Regex;

use super::Measure;
use crate::lexicon::{alternation, lexicon};

pub(super) struct Cue {
    re: Regex,
}

impl Cue {
    fn new(words: &str) -> Self {
        Cue {
            // Word boundaries are checked by hand: a Unicode `\b` would force the regex
            // engine off its fast path on every non-ASCII text.
            re: Regex::new(&format!(r"(?i)(?:{words})")).expect("cue regex"),
        }
    }
    /// A cue from a list of the lexicon's pattern fragments ([`alternation`] tries the
    /// longer first, so "trade" does not hide "traded").
    fn from_list(fragments: &[String]) -> Self {
        Cue::new(&alternation(fragments))
    }
    /// Whole-word matches in `s`, as byte ranges.
    pub(super) fn spans(&self, s: &str) -> Vec<(usize, usize)> {
        self.words(s).map(|m| (m.start(), m.end())).collect()
    }
    fn words<'s>(&'s self, s: &'s str) -> impl Iterator<Item = regex::Match<'s>> + 's {
        self.re.find_iter(s).filter(move |m| {
            let before = s[..m.start()].chars().next_back();
            let after = s[m.end()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }
    pub(super) fn is_in(&self, s: &str) -> bool {
        self.re.is_match(s) && self.words(s).next().is_some()
    }
}

/// The measures, the more specific first where cues overlap.
pub(super) static MEASURES: LazyLock<Vec<(Measure, Cue)>> = LazyLock::new(|| {
    let m = &lexicon().measures;
    vec![
        (Measure::Export, Cue::from_list(&m.export)),
        (Measure::Import, Cue::from_list(&m.import)),
        (Measure::Investment, Cue::from_list(&m.investment)),
        (Measure::Other, Cue::from_list(&m.other)),
        (Measure::Turnover, Cue::from_list(&m.turnover)),
    ]
});

macro_rules! cue {
    ($name:ident, $($path:tt)+) => {
        pub(super) static $name: LazyLock<Cue> =
            LazyLock::new(|| Cue::from_list(&lexicon().$($path)+));
    };
}

cue!(TARGET, modality.target);
cue!(FORECAST, modality.forecast);
cue!(POTENTIAL, modality.potential);
cue!(ACTUAL, modality.actual);
cue!(TOTAL, scope.total);
cue!(BOTH_SIDES, scope.both_sides);
cue!(COMPARED, links.compared);
cue!(YEAR_EARLIER, links.year_earlier);
cue!(PART_OF, links.part_of);
cue!(SAME_PERIOD, figures.same_period);
cue!(RISE, figures.rise);
cue!(FALL, figures.fall);
cue!(EVENT_VERB, events.verbs);

/// What a modality cue says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hedge {
    Target,
    Forecast,
    Potential,
    Actual,
}

/// Every cue hit of one sentence, positions relative to the sentence, in order.
#[derive(Default)]
pub(super) struct CueHits {
    pub measures: Vec<(usize, usize, Measure)>,
    pub hedges: Vec<(usize, usize, Hedge)>,
    pub total: Vec<(usize, usize)>,
    pub both_sides: bool,
    pub year_earlier: Vec<(usize, usize)>,
    pub part_of: Vec<(usize, usize)>,
    pub same_period: Vec<(usize, usize)>,
    /// Words of change: (start, end, falls, counts only after a percentage).
    pub change: Vec<(usize, usize, bool, bool)>,
}

impl CueHits {
    pub(super) fn of(s: &str) -> Self {
        let mut measures: Vec<(usize, usize, Measure)> = Vec::new();
        for (m, cue) in MEASURES.iter() {
            measures.extend(cue.spans(s).into_iter().map(|(a, b)| (a, b, *m)));
        }
        // Where two cues match at one place, the earlier-listed (more specific) wins.
        measures.sort_by_key(|&(a, b, _)| (a, b));
        let mut hedges = Vec::new();
        for (h, cue) in [
            (Hedge::Target, &*TARGET),
            (Hedge::Forecast, &*FORECAST),
            (Hedge::Potential, &*POTENTIAL),
            (Hedge::Actual, &*ACTUAL),
        ] {
            hedges.extend(cue.spans(s).into_iter().map(|(a, b)| (a, b, h)));
        }
        hedges.sort_by_key(|&(a, b, _)| (b, a));
        CueHits {
            measures,
            hedges,
            total: TOTAL.spans(s),
            both_sides: BOTH_SIDES.is_in(s),
            year_earlier: YEAR_EARLIER.spans(s),
            part_of: PART_OF.spans(s),
            same_period: SAME_PERIOD.spans(s),
            change: change_words(s),
        }
    }

    /// A hit of `list` lying wholly inside `from..to`.
    pub(super) fn any_within(list: &[(usize, usize)], from: usize, to: usize) -> bool {
        list.iter().any(|&(a, b)| a >= from && b <= to)
    }
}

/// Words of change in `s`: rises and falls, with whether each counts only after a
/// percentage ("14% more", never "more than 14%").
fn change_words(s: &str) -> Vec<(usize, usize, bool, bool)> {
    let after_only = &lexicon().figures.after_only;
    let mut out: Vec<(usize, usize, bool, bool)> = Vec::new();
    for (falls, cue) in [(false, &*RISE), (true, &*FALL)] {
        for (a, b) in cue.spans(s) {
            // "1.3 billion or 8.3% fell on Kazakhstan": a share, said the Russian way.
            if falls && s[b..].starts_with(" on ") {
                continue;
            }
            let word = s[a..b].to_lowercase();
            out.push((a, b, falls, after_only.contains(&word)));
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_cue_does_not_hide_a_longer_one() {
        let hits = CueHits::of("Kenya and Uganda traded goods worth $1.4 billion.");
        assert!(hits.measures.iter().any(|h| h.2 == Measure::Turnover));
    }
}
