//! Whose figure it is: the countries or blocs it concerns, and whether it is trade between
//! two parties, one party's total or a group's. Only names of the sentence, the sentences
//! before it in the passage and the title count, never those of a later sentence. Rules, first that applies wins: a list of
//! three or more names is the group; the figure's clause names plus the sentence's subject;
//! a clause that names no one takes the sentence's names. Then adjustments: "between the two
//! countries" or a sentence naming no one takes the passage's (or the title's) main pair; one
//! named partner is the partner of the country the passage is about; a whole takes the
//! parties named for it; a share takes its whole's parties.

use super::cues::CueHits;
use super::sentence::{dedup, is_enumeration};
use super::share::{Links, Share};
use super::{decide, FactContext, Figure, MoneyFact, Rule, Scope};
use crate::aliases::EntityId;

const RULES: &[Rule<Vec<EntityId>>] = &[
    ("enumeration", enumeration),
    ("clause-names", clause_names),
    ("sentence-names", sentence_names),
];

fn enumeration(f: &Figure) -> Option<Vec<EntityId>> {
    is_enumeration(f.s).then(|| all_names(f))
}

fn all_names(f: &Figure) -> Vec<EntityId> {
    dedup(f.s.entities.iter().map(|e| e.entity))
}

/// The clause's own names, after the sentence's first (its subject).
fn clause_names(f: &Figure) -> Option<Vec<EntityId>> {
    let own: Vec<EntityId> = dedup(
        f.s.entities
            .iter()
            .filter(|e| f.s.clause_of(e.start) == f.clause)
            .map(|e| e.entity),
    );
    if own.is_empty() {
        return None;
    }
    let first = f.s.entities.first().map(|m| m.entity);
    Some(dedup(first.into_iter().chain(own)))
}

fn sentence_names(f: &Figure) -> Option<Vec<EntityId>> {
    let all = all_names(f);
    (!all.is_empty()).then_some(all)
}

fn scope_of(n: usize, total: bool) -> Scope {
    match n {
        0 => Scope::Unknown,
        1 if total => Scope::Total,
        1 => Scope::Unknown,
        2 => Scope::Bilateral,
        _ => Scope::Group,
    }
}

pub(super) fn resolve(
    f: &Figure,
    links: &Links,
    share: &Share,
    previous: Option<&MoneyFact>,
    ctx: &FactContext,
    why: &mut Vec<&'static str>,
) -> (Vec<EntityId>, Scope) {
    let s = f.s;
    let doc = f.doc;
    let mut parties = match decide(RULES, f) {
        Some((p, name)) => {
            why.push(name);
            p
        }
        None => Vec::new(),
    };
    let enumeration = why.first() == Some(&"enumeration");
    if s.cues.both_sides && parties.len() < 2 || parties.is_empty() {
        why.push("passage-pair");
        let fallback = if f.carry.pair.is_empty() {
            &doc.title_entities
        } else {
            &f.carry.pair
        };
        for &e in fallback {
            if !parties.contains(&e) {
                parties.push(e);
            }
        }
    }
    let total_cue = CueHits::any_within(&s.cues.total, f.cs, f.end);
    // "trade with China reached ...": one named partner of the country the passage is about.
    if parties.len() == 1 && !total_cue && !enumeration {
        if let Some(&main) = f
            .carry
            .pair
            .iter()
            .chain(&doc.title_entities)
            .find(|e| !parties.contains(e))
        {
            why.push("partner-of-main");
            parties.insert(0, main);
        }
    }
    let mut scope = scope_of(parties.len(), total_cue);

    // This figure is the whole of the one before: its parties are the ones named between
    // the two ("the Kyrgyz Republic's"), and it is a total when said so.
    if let Some(p) = share.whole_of.and_then(|k| links.linked[k]) {
        why.push("whole-named");
        let from = s.rel(p.end);
        let named: Vec<EntityId> = dedup(
            s.entities
                .iter()
                .filter(|e| s.rel(e.start) >= from && e.start < f.m.start)
                .map(|e| e.entity),
        );
        parties = if named.is_empty() {
            s.entities.first().map(|m| m.entity).into_iter().collect()
        } else {
            named
        };
        let tail_end = s.text[from..]
            .char_indices()
            .nth((f.end - from) + 40)
            .map_or(s.text.len(), |(i, _)| from + i);
        if CueHits::any_within(&s.cues.total, from, tail_end) && parties.len() == 1 {
            scope = Scope::Total;
        }
    }

    // A share's parties include its whole's: "Kyrgyzstan's trade ..., of which ... fell on
    // Kazakhstan" concerns both.
    if share.whole.is_some() {
        if let Some(w) = previous {
            let before = parties.len();
            for p in &w.parties {
                if let Some(id) = ctx.aliases.by_name(p) {
                    if !parties.contains(&id) {
                        parties.insert(0, id);
                    }
                }
            }
            if parties.len() > before {
                why.push("whole-parties");
            }
        }
        if parties.len() == 2 {
            scope = Scope::Bilateral;
        }
    }
    (parties, scope)
}

#[cfg(test)]
mod tests {
    use super::super::tests::explained;
    use super::Scope;

    /// (sorted parties, scope, rules) of each figure.
    fn parties(text: &str, title: &str) -> Vec<(Vec<String>, Scope, String)> {
        explained(text, title)
            .into_iter()
            .map(|(m, why)| {
                let mut p = m.parties;
                p.sort();
                (p, m.scope, why.parties.join("+"))
            })
            .collect()
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_clause_names_with_the_sentence_subject() {
        assert_eq!(
            parties(
                "Trade between Armenia and Georgia reached $670 million in 2022.",
                ""
            )[0],
            (
                names(&["Armenia", "Georgia"]),
                Scope::Bilateral,
                "clause-names".into()
            )
        );
    }

    #[test]
    fn a_list_of_names_is_a_group() {
        let p = parties(
            "Trade among Russia, Belarus, Kazakhstan and Armenia reached $70 billion in 2022.",
            "",
        );
        assert_eq!((p[0].1, p[0].2.as_str()), (Scope::Group, "enumeration"));
    }

    #[test]
    fn a_sentence_naming_no_one_takes_the_passage_pair() {
        let p = parties(
            "Bilateral trade reached $670 million in 2022.",
            "Armenia and Georgia",
        );
        assert_eq!(
            p[0],
            (
                names(&["Armenia", "Georgia"]),
                Scope::Bilateral,
                "passage-pair".into()
            )
        );
    }

    #[test]
    fn one_named_partner_is_the_partner_of_the_main_country() {
        let p = parties(
            "Armenia is a small country. Trade with Georgia reached $670 million in 2022. Armenia grows.",
            "",
        );
        assert_eq!(
            p[0],
            (
                names(&["Armenia", "Georgia"]),
                Scope::Bilateral,
                "clause-names+partner-of-main".into()
            )
        );
    }

    #[test]
    fn a_countrys_total_is_its_own() {
        let p = parties("Georgia's foreign trade reached $21 billion in 2022.", "");
        assert_eq!(
            p[0],
            (names(&["Georgia"]), Scope::Total, "clause-names".into())
        );
    }
}
