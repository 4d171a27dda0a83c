//! Whether a figure happened or is only hoped for. One rule: the last hedge ("plans to",
//! "is expected to", "could") in the figure's clause before it, unless a plain statement
//! ("was", "amounted") comes after the hedge; otherwise the figure is actual.

use super::cues::Hedge;
use super::{decide, Figure, Modality, Rule};

const RULES: &[Rule<Modality>] = &[("hedge-before", hedge_before)];

pub(super) fn resolve(f: &Figure, why: &mut Vec<&'static str>) -> Modality {
    match decide(RULES, f) {
        Some((m, name)) => {
            why.push(name);
            m
        }
        None => Modality::Actual,
    }
}

fn hedge_before(f: &Figure) -> Option<Modality> {
    let in_clause = |&&(a, b, _): &&(usize, usize, Hedge)| a >= f.cs && b <= f.start;
    let hits = &f.s.cues.hedges;
    let actual = hits
        .iter()
        .filter(in_clause)
        .filter(|h| h.2 == Hedge::Actual)
        .map(|h| h.1)
        .max();
    let hedge = hits
        .iter()
        .filter(in_clause)
        .filter(|h| h.2 != Hedge::Actual)
        .max_by_key(|h| (h.1, hedge_rank(h.2)))?;
    // "plans to raise it to", "may reach": the hedge stands unless a plain statement comes
    // after it; "reached" after "expected to" stays a forecast only when the hedge is nearer.
    if actual.is_some_and(|a| a > hedge.1) {
        return None;
    }
    Some(match hedge.2 {
        Hedge::Target => Modality::Target,
        Hedge::Forecast => Modality::Forecast,
        Hedge::Potential | Hedge::Actual => Modality::Potential,
    })
}

/// On a tie, the later-listed hedge wins (as the lexicon orders them).
fn hedge_rank(h: Hedge) -> usize {
    match h {
        Hedge::Target => 0,
        Hedge::Forecast => 1,
        Hedge::Potential => 2,
        Hedge::Actual => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::explained;
    use super::Modality;

    fn modalities(text: &str) -> Vec<(Modality, String)> {
        explained(text, "Armenia and Georgia")
            .into_iter()
            .map(|(m, why)| (m.modality, why.modality.join("+")))
            .collect()
    }

    #[test]
    fn a_hedge_before_the_figure_makes_it_hoped_for() {
        assert_eq!(
            modalities("The sides plan to raise trade to $1 billion by 2026."),
            vec![(Modality::Target, "hedge-before".into())]
        );
        assert_eq!(
            modalities("Trade could reach $2 billion."),
            vec![(Modality::Potential, "hedge-before".into())]
        );
        assert_eq!(
            modalities("Торговля, по прогнозу, превысит 2 млрд долларов."),
            vec![(Modality::Forecast, "hedge-before".into())]
        );
    }

    #[test]
    fn a_statement_after_the_hedge_makes_it_actual() {
        assert_eq!(
            modalities("The trade that was planned for 2022 reached $1 billion."),
            vec![(Modality::Actual, String::new())]
        );
    }
}
