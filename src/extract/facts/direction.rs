//! Which way goods go in an export or import figure: the country they come from. "Armenia's
//! imports from Georgia" and "Georgia's exports to Armenia" are the same flow, from Georgia,
//! seen by either side (mirror flows). Rules, first that applies wins: a country after
//! "from"/"из" is the origin; a country after "to"/"into"/"в"/"во" is the destination; the
//! country that owns the measure ("Armenia's exports", "Serbian exports", "экспорт
//! Узбекистана", "Brazil exported") is the exporter of an export and the importer of an
//! import. The same reading serves documents and questions.

use super::cues::MEASURES;
use super::Figure;
use crate::aliases::{EntityId, EntityMention};
use crate::extract::Measure;

/// The origin of a figure's flow, read in its stretch of the clause: from the end of the
/// previous measure cue to the start of the next, so "Brazil exported $15 billion to
/// Argentina and imported $13 billion" keeps each flow's own words.
pub(super) fn of_figure(
    f: &Figure,
    measure: Measure,
    parties: &[EntityId],
) -> Option<(EntityId, &'static str)> {
    if parties.len() != 2 {
        return None;
    }
    let hits = &f.s.cues.measures;
    let cue = hits
        .iter()
        .rfind(|h| h.2 == measure && h.0 >= f.cs && h.1 <= f.start)
        .or_else(|| {
            hits.iter()
                .find(|h| h.2 == measure && h.0 >= f.end && h.1 <= f.ce)
        })?;
    // After another figure of the clause, what comes before this flow's own cue belongs to
    // the other flow: "… $15.3 billion of goods to Argentina in 2022 and imported …".
    let previous_figure =
        f.i.checked_sub(1)
            .map(|k| f.s.rel(f.s.money[k].end))
            .filter(|&e| e >= f.cs && e <= cue.0)
            .map(|_| cue.0);
    let from = hits
        .iter()
        .filter(|h| h.1 <= cue.0 && h.0 >= f.cs && h.2 != measure)
        .map(|h| h.1)
        .next_back()
        .into_iter()
        .chain(previous_figure)
        .max()
        .unwrap_or(f.cs);
    let to = hits
        .iter()
        .find(|h| h.0 >= cue.1.max(f.end) && h.1 <= f.ce && h.2 != measure)
        .map_or(f.ce, |h| h.0);
    let offset = f.s.offset;
    let stretch: Vec<EntityMention> =
        f.s.entities
            .iter()
            .filter(|e| e.start >= offset + from && e.end <= offset + to)
            .map(|e| EntityMention {
                entity: e.entity,
                start: e.start - offset - from,
                end: e.end - offset - from,
            })
            .collect();
    let text = &f.s.text[from..to];
    let (o, rule) = origin(
        text,
        &stretch,
        measure,
        (cue.0 - from, cue.1 - from),
        parties,
    )?;
    parties.contains(&o).then_some((o, rule))
}

/// The country goods come from in `text` (a clause or a question) whose measure cue stands
/// at `cue`, among `entities` (positions in `text`), with the rule that decided.
fn origin(
    text: &str,
    entities: &[EntityMention],
    measure: Measure,
    cue: (usize, usize),
    pair: &[EntityId],
) -> Option<(EntityId, &'static str)> {
    if !matches!(measure, Measure::Export | Measure::Import) {
        return None;
    }
    let ids: Vec<EntityId> = if pair.len() == 2 {
        pair.to_vec()
    } else {
        entities.iter().map(|e| e.entity).collect()
    };
    let other = |x: EntityId| ids.iter().copied().find(|&e| e != x);
    let word_before = |e: &EntityMention| -> String {
        let head = text[..e.start.min(text.len())].trim_end();
        head.rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_lowercase()
    };
    for e in entities {
        match word_before(e).as_str() {
            "from" | "из" | "изо" => return Some((e.entity, "from-named")),
            _ => {}
        }
    }
    for e in entities {
        if matches!(word_before(e).as_str(), "to" | "into" | "в" | "во") {
            if let Some(o) = other(e.entity) {
                return Some((o, "to-named"));
            }
        }
    }
    // The owner: a name right before the cue ("Armenia's exports", "Brazil exported") or,
    // in Russian, right after it ("экспорт Узбекистана").
    let owner = entities
        .iter()
        .find(|e| {
            e.end <= cue.0
                && text[e.end..cue.0]
                    .trim()
                    .trim_start_matches("'s")
                    .trim_start_matches("’s")
                    .trim()
                    .is_empty()
        })
        .or_else(|| {
            entities.iter().find(|e| {
                e.start >= cue.1
                    && text[cue.1..e.start].split_whitespace().count() <= 1
                    && !text[cue.1..e.start].chars().any(|c| c.is_ascii_digit())
            })
        })?;
    match measure {
        Measure::Export => Some((owner.entity, "owner-exports")),
        _ => other(owner.entity).map(|o| (o, "owner-imports")),
    }
}

/// The origin a question asks about ("Armenia's imports from Georgia": Georgia), given the
/// names found in it (positions in `question`) and the two countries it names.
pub fn origin_asked(
    question: &str,
    entities: &[EntityMention],
    measure: Measure,
    pair: &[EntityId],
) -> Option<EntityId> {
    if pair.len() != 2 {
        return None;
    }
    let cue = MEASURES
        .iter()
        .find(|(m, _)| *m == measure)?
        .1
        .spans(question)
        .into_iter()
        .next()?;
    origin(question, entities, measure, cue, pair)
        .map(|(o, _)| o)
        .filter(|o| pair.contains(o))
}

#[cfg(test)]
mod tests {
    use super::super::tests::explained;

    fn origins(text: &str) -> Vec<(Option<String>, String)> {
        explained(text, "")
            .into_iter()
            .map(|(m, why)| (m.origin, why.origin.join("+")))
            .collect()
    }

    fn is(o: &str, rule: &str) -> (Option<String>, String) {
        (Some(o.to_string()), rule.to_string())
    }

    #[test]
    fn mirror_flows_have_one_origin() {
        assert_eq!(
            origins("Armenia's imports from Georgia reached $290 million in 2022."),
            vec![is("Georgia", "from-named")]
        );
        assert_eq!(
            origins("Georgia's exports to Armenia reached $320 million in 2022."),
            vec![is("Georgia", "to-named")]
        );
        assert_eq!(
            origins("Экспорт Узбекистана в Таджикистан в 2020 году составил 380 млн долларов."),
            vec![is("Uzbekistan", "to-named")]
        );
    }

    #[test]
    fn the_owner_of_the_measure_exports_or_imports() {
        assert_eq!(
            origins("Serbian exports to Hungary were EUR 1.9 billion in 2022."),
            vec![is("Serbia", "to-named")]
        );
        assert_eq!(
            origins("Импорт Вьетнама из России в 2022 году достиг 2,1 млрд долларов США."),
            vec![is("Russia", "from-named")]
        );
        assert_eq!(
            origins("Kenyan imports reached $410 million in trade with Uganda in 2022."),
            vec![is("Uganda", "owner-imports")]
        );
    }

    #[test]
    fn each_flow_of_a_sentence_keeps_its_own_words() {
        let o = origins("Brazil exported $15.3 billion of goods to Argentina in 2022 and imported $13.1 billion.");
        assert_eq!(o[0], is("Brazil", "to-named"));
        assert_eq!(o[1].0, None);
    }

    #[test]
    fn turnover_has_no_direction() {
        assert_eq!(
            origins("Trade between Armenia and Georgia reached $670 million in 2022."),
            vec![(None, String::new())]
        );
    }
}
