//! Trade answers: one figure for a year (with every disagreeing source), a series over a
//! range with its growth, a share of a whole, a potential or target said to be one.

use std::collections::BTreeMap;

use super::table::{intersects, FactTerms};
use super::{fact_json, trade_years, Answer, AnswerKind, Citation, Context, SeriesPoint};
use crate::extract::facts::{categories_in, origin_asked};
use crate::extract::{Fact, Measure, Modality, MoneyFact, Scope};
use crate::format;
use crate::index::StoredFact;
use crate::question::{Lang, Question};
use crate::text;

struct Candidate<'a> {
    sf: &'a StoredFact,
    m: &'a MoneyFact,
    score: i32,
}

/// Vocabulary ids each event word of the question matches.
fn word_ids(ctx: &Context, q: &Question) -> Vec<Vec<u32>> {
    q.event_words
        .iter()
        .map(|w| ctx.table.matches(ctx.aliases, w))
        .collect()
}

/// What a question narrows a figure to beyond its measure, years and countries.
struct Asked {
    /// The part of trade it names ("agricultural", "non-oil", "услуг").
    category: Option<&'static str>,
    /// For exports or imports between two countries: the one the goods come from.
    origin: Option<String>,
}

fn asked(ctx: &Context, q: &Question) -> Asked {
    let origin = q.measure.and_then(|m| {
        let mut analyzer = text::analyzer();
        let terms = text::terms(&mut analyzer, &q.text);
        let found = ctx.aliases.find(&q.text, &terms, true);
        origin_asked(&q.text, &found, m, &q.countries).map(|id| ctx.aliases.entity(id).name.clone())
    });
    Asked {
        category: categories_in(&q.text).first().map(|c| c.2),
        origin,
    }
}

/// Exports seen from the other side are imports: the mirror of one measure.
fn mirrors(a: Measure, b: Measure) -> bool {
    matches!(
        (a, b),
        (Measure::Export, Measure::Import) | (Measure::Import, Measure::Export)
    )
}

/// How well a figure fits the question, or `None` when it cannot answer it at all.
fn score(
    ctx: &Context,
    q: &Question,
    asked: &Asked,
    m: &MoneyFact,
    terms: &FactTerms,
    words: &[Vec<u32>],
) -> Option<i32> {
    let mut s = 0;
    // A figure for a part of trade answers only a question about that part, and a question
    // about a part is never answered with the whole.
    match (m.category.as_deref(), asked.category) {
        (Some(c), Some(want)) if c == want => s += 3,
        (None, None) => {}
        (Some(_), _) | (None, Some(_)) => return None,
    }
    let hedged = m.modality != Modality::Actual;
    match (q.wants_hedged, hedged) {
        (true, true) => s += 4,
        (true, false) => s -= 1,
        // A target or forecast never answers a question about what happened.
        (false, true) => return None,
        (false, false) => s += 2,
    }
    let origin_matches = asked
        .origin
        .as_deref()
        .map(|o| m.origin.as_deref().map(|fo| fo == o));
    match q.measure {
        // A flow the other way never answers: "Armenia's exports to Georgia" is not
        // "Georgia's exports to Armenia".
        Some(want) if m.measure == want && origin_matches == Some(Some(false)) => return None,
        Some(want) if m.measure == want => {
            s += if origin_matches == Some(Some(true)) {
                6
            } else {
                4
            }
        }
        // The same flow reported by the other side: used only when nothing better is there.
        Some(want) if mirrors(want, m.measure) && origin_matches == Some(Some(true)) => s += 1,
        // Turnover does not answer a question about exports, imports or investment.
        Some(_) => return None,
        None => match m.measure {
            Measure::Turnover => s += 3,
            // Exports or imports are not the trade asked about: "trade in 2021" is never
            // answered with one side's flow.
            Measure::Export | Measure::Import => return None,
            Measure::Other if hedged && q.wants_hedged => {}
            Measure::Investment | Measure::Other => return None,
        },
    }
    let wanted: Vec<&str> = q
        .countries
        .iter()
        .map(|&id| ctx.aliases.entity(id).name.as_str())
        .collect();
    if wanted.is_empty() {
        match m.scope {
            Scope::Bilateral => s += 1,
            Scope::Group => s -= 2,
            Scope::Total if q.wants_total => s += 2,
            Scope::Total => s -= 1,
            Scope::Unknown => {}
        }
    } else {
        let shared = wanted
            .iter()
            .filter(|w| m.parties.iter().any(|p| p == *w))
            .count();
        // Every country the question names must be a party: Kazakhstan's trade with
        // Uzbekistan does not answer a question about Kazakhstan and China.
        if shared < wanted.len() {
            return None;
        }
        s += 3;
        if wanted.len() == 1 && q.wants_total && m.scope == Scope::Total {
            s += 3;
        }
        if wanted.len() >= 2 && m.scope == Scope::Total {
            s -= 3;
        }
        if m.scope == Scope::Group {
            s -= 2;
        }
    }
    if q.wants_share {
        s += if m.percent.is_some() { 4 } else { -2 };
    }
    if q.wants_total {
        if m.scope == Scope::Total {
            s += 3;
        }
        if m.whole.is_some() {
            s -= 3;
        }
    }
    // A part of a year answers only a question about that part; a full-year question
    // never gets a part-year figure.
    match (q.period, &m.period) {
        (Some(want), Some(p)) if (p.from_month, p.to_month) == want => s += 3,
        (Some(_), _) => return None,
        (None, Some(_)) if q.wants_full_year => return None,
        (None, Some(_)) => s -= 1,
        (None, None) => {}
    }
    if m.currency.is_none() {
        s -= 1;
    }
    // Words of the question found in the figure's sentence ("foreign", "mutual") settle ties.
    let hits = words
        .iter()
        .filter(|ids| intersects(ids, &terms.sentence))
        .count() as i32;
    s += hits.min(2);
    Some(s)
}

fn candidates<'a>(ctx: &'a Context, q: &Question) -> Vec<Candidate<'a>> {
    let words = word_ids(ctx, q);
    let asked = asked(ctx, q);
    ctx.stored_facts()
        .iter()
        .zip(&ctx.table.terms)
        .filter_map(|(sf, terms)| match &sf.fact {
            Fact::Money(m) => {
                score(ctx, q, &asked, m, terms, &words).map(|score| Candidate { sf, m, score })
            }
            Fact::Date(_) => None,
        })
        .collect()
}

pub(super) fn answer(ctx: &Context, q: &Question) -> Option<Answer> {
    let all = candidates(ctx, q);
    if let Some((from, to)) = q.range {
        let in_range: Vec<&Candidate> = all
            .iter()
            .filter(|c| c.m.year.is_some_and(|y| y >= from && y <= to))
            .collect();
        return series(ctx, q, &in_range, Some((from, to)));
    }
    if let Some(&year) = q.years.first() {
        let of_year: Vec<&Candidate> = all.iter().filter(|c| c.m.year == Some(year)).collect();
        return single(ctx, q, &of_year, &all);
    }
    let usable: Vec<&Candidate> = all.iter().collect();
    if q.wants_trend && !q.wants_hedged {
        let actual: Vec<&Candidate> = usable
            .iter()
            .copied()
            .filter(|c| c.m.modality == Modality::Actual)
            .collect();
        if let Some(a) = series(ctx, q, &actual, None) {
            return Some(a);
        }
    }
    if q.wants_hedged {
        return single(ctx, q, &usable, &all);
    }
    // No year: the latest actual figure, with the other years as a series behind it.
    let actual: Vec<&Candidate> = usable
        .iter()
        .copied()
        .filter(|c| c.m.modality == Modality::Actual && c.m.year.is_some())
        .collect();
    let best_score = actual.iter().map(|c| c.score).max()?;
    let latest = actual
        .iter()
        .filter(|c| c.score >= best_score - 1)
        .filter_map(|c| c.m.year)
        .max()?;
    let of_year: Vec<&Candidate> = actual
        .iter()
        .copied()
        .filter(|c| c.m.year == Some(latest))
        .collect();
    let mut a = single(ctx, q, &of_year, &all)?;
    if let Some(s) = series(ctx, q, &actual, None) {
        if s.series.len() >= 2 {
            let intro = if q.lang == Lang::Ru {
                "По годам:"
            } else {
                "By year:"
            };
            a.lines.push(intro.to_string());
            a.lines.extend(s.lines.into_iter().skip(1));
            a.series = s.series;
            for f in s.facts {
                if !a.facts.contains(&f) {
                    a.facts.push(f);
                }
            }
        }
    }
    Some(a)
}

/// Do two figures measure the same thing (so that different amounts disagree)?
fn same_quantity(a: &MoneyFact, b: &MoneyFact) -> bool {
    let mut pa = a.parties.clone();
    let mut pb = b.parties.clone();
    pa.sort();
    pb.sort();
    a.year == b.year
        && a.measure == b.measure
        && (a.modality == Modality::Actual) == (b.modality == Modality::Actual)
        && a.period.as_ref().map(|p| (p.from_month, p.to_month))
            == b.period.as_ref().map(|p| (p.from_month, p.to_month))
        && pa == pb
        && a.scope == b.scope
        && a.currency == b.currency
        && a.category == b.category
        && a.origin == b.origin
}

fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 0.005 * a.abs().max(b.abs())
}

/// "trade turnover between Kazakhstan and Kyrgyzstan in 2002".
fn describe(ctx: &Context, m: &MoneyFact, lang: Lang) -> String {
    let names: Vec<String> = m.parties.iter().map(|p| ctx.party(p, lang)).collect();
    let what = match (m.scope, lang) {
        (Scope::Total, Lang::En) if m.measure == Measure::Turnover => {
            "total foreign trade turnover".to_string()
        }
        (Scope::Total, Lang::Ru) if m.measure == Measure::Turnover => {
            "внешнеторговый оборот".to_string()
        }
        _ => format::measure(m.measure, lang).to_string(),
    };
    let what = match &m.category {
        Some(c) => format!("{what} ({})", c.replace('_', "-")),
        None => what,
    };
    // The goods' way, when the text says it: "exports (Georgia → Armenia)".
    let flow = m.origin.as_deref().and_then(|o| {
        let to = m.parties.iter().find(|p| p.as_str() != o)?;
        Some(format!(
            " ({} → {})",
            ctx.party(o, lang),
            ctx.party(to, lang)
        ))
    });
    let parties = match (m.scope, lang, names.len()) {
        _ if flow.is_some() && names.len() == 2 => flow.unwrap_or_default(),
        (_, _, 0) => String::new(),
        (Scope::Total, Lang::En, _) => format!(" of {}", names[0]),
        (Scope::Total, Lang::Ru, _) => format!(" ({})", names[0]),
        (_, Lang::En, 1) => format!(" of {}", names[0]),
        (_, Lang::Ru, 1) => format!(" ({})", names[0]),
        // Direction unknown: "exports (Kazakhstan and Uzbekistan)", not "between".
        (_, Lang::En, _) if matches!(m.measure, Measure::Export | Measure::Import) => {
            format!(" ({})", format::list(&names, lang))
        }
        (_, Lang::En, _) => format!(" between {}", format::list(&names, lang)),
        (_, Lang::Ru, _) => format!(": {}", format::list(&names, lang)),
    };
    let when = match (&m.period, m.year, lang) {
        (Some(p), _, Lang::En) => {
            format!(" in {} (part of the year only)", format::period(p, lang))
        }
        (Some(p), _, Lang::Ru) => format!(" за {} (только часть года)", format::period(p, lang)),
        (None, Some(y), Lang::En) => format!(" in {y}"),
        (None, Some(y), Lang::Ru) => format!(" в {y} году"),
        (None, None, _) => String::new(),
    };
    format::capitalize(&format!("{what}{parties}{when}"))
}

fn share_line(m: &MoneyFact, lang: Lang) -> Option<String> {
    let pct = m.percent?;
    let whole = m
        .whole
        .map(|w| format::money(w, m.currency.as_deref(), lang));
    let pct_s = format::percent(pct, false, lang);
    let computed = match (m.percent_computed, lang) {
        (true, Lang::En) => " (computed from the two figures)",
        (true, Lang::Ru) => " (рассчитано по двум цифрам)",
        _ => "",
    };
    Some(match (whole, lang) {
        (Some(w), Lang::En) => format!("That is {pct_s} of {w}{computed}."),
        (Some(w), Lang::Ru) => format!("Это {pct_s} от {w}{computed}."),
        (None, Lang::En) => format!("That is {pct_s} of the whole."),
        (None, Lang::Ru) => format!("Это {pct_s} от общего объёма."),
    })
}

/// What a figure is, for telling figures of the same quantity in different years apart.
fn kind_key(m: &MoneyFact) -> impl PartialEq {
    let mut p = m.parties.clone();
    p.sort();
    (
        m.measure,
        p,
        m.currency.clone(),
        m.scope,
        m.category.clone(),
        m.origin.clone(),
        m.period.as_ref().map(|p| (p.from_month, p.to_month)),
    )
}

/// A growth question ("how much did trade grow in 2022") leads with the change: the one
/// the text states for the figure, else the one computed from the year before's figure of
/// the same kind.
fn growth_headline(
    ctx: &Context,
    best: &Candidate,
    all: &[Candidate],
    lang: Lang,
) -> Option<(String, Option<String>)> {
    let m = best.m;
    let amount = format::money(m.amount, m.currency.as_deref(), lang);
    if let Some(g) = m.growth {
        let pct = format::percent(g, true, lang);
        return Some((
            match lang {
                Lang::En => format!("{pct} (to {amount})"),
                Lang::Ru => format!("{pct} (до {amount})"),
            },
            None,
        ));
    }
    let year = m.year?;
    let key = kind_key(m);
    let before = all
        .iter()
        .filter(|c| {
            c.m.year == Some(year - 1)
                && c.m.modality == Modality::Actual
                && kind_key(c.m) == key
                && c.m.amount > 0.0
        })
        .max_by_key(|c| c.score)?;
    let change = (m.amount / before.m.amount - 1.0) * 100.0;
    let pct = format::percent(change, true, lang);
    let was = format::money(before.m.amount, before.m.currency.as_deref(), lang);
    let headline = match lang {
        Lang::En => format!("{pct} (from {was} in {} to {amount} in {year})", year - 1),
        Lang::Ru => format!("{pct} (с {was} в {} г. до {amount} в {year} г.)", year - 1),
    };
    let line = format!(
        "{} — {}",
        match lang {
            Lang::En => format!("Computed from the figure for {}", year - 1),
            Lang::Ru => format!("Рассчитано по цифре за {} г.", year - 1),
        },
        ctx.cite(before.sf, lang)
    );
    Some((headline, Some(line)))
}

/// A share question leads with the percentage and the whole it is a share of.
fn share_headline(m: &MoneyFact, lang: Lang) -> Option<String> {
    let pct = format::percent(m.percent?, false, lang);
    let amount = format::money(m.amount, m.currency.as_deref(), lang);
    Some(match (m.whole, lang) {
        (Some(w), Lang::En) => format!(
            "{pct} of {} ({amount})",
            format::money(w, m.currency.as_deref(), lang)
        ),
        (Some(w), Lang::Ru) => format!(
            "{pct} от {} ({amount})",
            format::money(w, m.currency.as_deref(), lang)
        ),
        (None, _) => format!("{pct} ({amount})"),
    })
}

fn single(ctx: &Context, q: &Question, cands: &[&Candidate], all: &[Candidate]) -> Option<Answer> {
    let best = cands.iter().max_by(|a, b| {
        a.score
            .cmp(&b.score)
            .then(b.m.period.is_some().cmp(&a.m.period.is_some()))
            .then(b.sf.doc.cmp(&a.sf.doc))
            .then(b.m.start.cmp(&a.m.start))
    })?;
    let lang = q.lang;
    let mut a = Answer::new(q, AnswerKind::Trade);
    let amount = format::money(best.m.amount, best.m.currency.as_deref(), lang);
    // Figures for the same quantity from other documents: agreeing or not.
    let mut others: Vec<&Candidate> = cands
        .iter()
        .copied()
        .filter(|c| {
            c.sf.doc != best.sf.doc && c.score >= best.score - 1 && same_quantity(c.m, best.m)
        })
        .collect();
    others.sort_by_key(|c| (c.sf.doc, c.m.start));
    let disagreeing: Vec<&Candidate> = others
        .iter()
        .copied()
        .filter(|c| differs(c.m.amount, best.m.amount))
        .collect();
    let agreeing: Vec<&Candidate> = others
        .iter()
        .copied()
        .filter(|c| !differs(c.m.amount, best.m.amount))
        .collect();

    let mut computed_from = None;
    if disagreeing.is_empty() {
        a.headline = Some(amount);
        if q.wants_share {
            if let Some(h) = share_headline(best.m, lang) {
                a.headline = Some(h);
            }
        } else if q.wants_trend {
            if let Some((h, line)) = growth_headline(ctx, best, all, lang) {
                a.headline = Some(h);
                computed_from = line;
            }
        }
    } else {
        a.disagreement = true;
        let mut figures = vec![amount];
        for c in &disagreeing {
            let f = format::money(c.m.amount, c.m.currency.as_deref(), lang);
            if !figures.contains(&f) {
                figures.push(f);
            }
        }
        a.headline = Some(match lang {
            Lang::En => format!("{} — the sources disagree", figures.join(" or ")),
            Lang::Ru => format!("{} — источники расходятся", figures.join(" или ")),
        });
    }
    // A part of a year the question did not ask for is said in the headline itself.
    if let (Some(p), None) = (&best.m.period, q.period) {
        if let Some(h) = a.headline.as_mut() {
            let when = format::period(p, lang);
            h.push_str(&match lang {
                Lang::En => format!(" ({when} only)"),
                Lang::Ru => format!(" (только {when})"),
            });
        }
    }
    let mut line = describe(ctx, best.m, lang);
    if let Some(note) = format::modality_note(best.m.modality, lang) {
        line = format!("{line}: {note}");
    }
    a.lines.push(format!("{line}."));
    if let Some(s) = share_line(best.m, lang) {
        a.lines.push(s);
    }
    if let Some(g) = best.m.growth.filter(|_| !q.wants_trend) {
        a.lines.push(match lang {
            Lang::En => format!("{} on the period before.", format::percent(g, true, lang)),
            Lang::Ru => format!("{} к предыдущему периоду.", format::percent(g, true, lang)),
        });
    }
    if let Some(l) = computed_from {
        a.lines.push(l);
    }
    if q.measure.is_some_and(|want| mirrors(want, best.m.measure)) {
        a.lines.push(match lang {
            Lang::En => "The documents give no figure for the side asked: this is the same flow as the other country reports it (a mirror figure).".to_string(),
            Lang::Ru => "Для запрошенной стороны цифры в документах нет: это тот же поток по данным другой страны (зеркальная цифра).".to_string(),
        });
    }
    a.lines.push(format!(
        "“{}” — {}",
        best.m.sentence,
        ctx.cite(best.sf, lang)
    ));
    for c in &disagreeing {
        let f = format::money(c.m.amount, c.m.currency.as_deref(), lang);
        a.lines.push(format!(
            "{f}: “{}” — {}",
            c.m.sentence,
            ctx.cite(c.sf, lang)
        ));
    }
    if !agreeing.is_empty() {
        let n = agreeing.len();
        a.lines.push(match lang {
            Lang::En => format!(
                "Confirmed by {n} more source{}.",
                if n == 1 { "" } else { "s" }
            ),
            Lang::Ru => format!("Подтверждается ещё источниками: {n}."),
        });
    }
    a.facts.push(fact_json(best.sf, ctx.index));
    ctx.add_source(&mut a, best.sf);
    for c in disagreeing.iter().chain(agreeing.iter()) {
        a.facts.push(fact_json(c.sf, ctx.index));
        ctx.add_source(&mut a, c.sf);
    }
    Some(a)
}

/// One figure a year over the range (or over every year found), with the changes.
fn series(
    ctx: &Context,
    q: &Question,
    cands: &[&Candidate],
    range: Option<(i32, i32)>,
) -> Option<Answer> {
    let lang = q.lang;
    let actual_only = !q.wants_hedged;
    let mut by_year: BTreeMap<i32, Vec<&Candidate>> = BTreeMap::new();
    for c in cands.iter().copied() {
        if actual_only && c.m.modality != Modality::Actual {
            continue;
        }
        if let Some(y) = c.m.year {
            by_year.entry(y).or_default().push(c);
        }
    }
    if by_year.is_empty() {
        return None;
    }
    // The series keeps one kind of figure: the measure, parties and currency of the best one.
    let anchor = by_year
        .values()
        .flatten()
        .max_by_key(|c| (c.score, c.m.period.is_none()))?;
    let key = kind_key;
    let anchor_key = key(anchor.m);
    let mut points: Vec<&Candidate> = Vec::new();
    for list in by_year.values() {
        let pick = list
            .iter()
            .copied()
            .filter(|c| key(c.m) == anchor_key && c.m.period.is_none())
            .max_by(|a, b| a.score.cmp(&b.score).then(b.sf.doc.cmp(&a.sf.doc)));
        if let Some(p) = pick {
            points.push(p);
        }
    }
    if points.len() < 2 && range.is_none() {
        return None;
    }
    if points.is_empty() {
        return None;
    }
    let mut a = Answer::new(q, AnswerKind::Trade);
    let first = points[0];
    let last = points[points.len() - 1];
    let span = format!("{}–{}", first.m.year.unwrap_or(0), last.m.year.unwrap_or(0));
    let title = {
        let mut d = describe(
            ctx,
            &MoneyFact {
                year: None,
                period: None,
                ..first.m.clone()
            },
            lang,
        );
        d.push_str(&format!(", {span}"));
        d
    };
    let mut lines = vec![format!("{title}:")];
    let mut prev: Option<&Candidate> = None;
    for p in &points {
        let y = p.m.year.unwrap_or(0);
        let mut l = format!(
            "{y}: {}",
            format::money(p.m.amount, p.m.currency.as_deref(), lang)
        );
        if let Some(pr) = prev {
            if pr.m.amount > 0.0 {
                let change = (p.m.amount / pr.m.amount - 1.0) * 100.0;
                let gap = y - pr.m.year.unwrap_or(y);
                let since = if gap > 1 {
                    match lang {
                        Lang::En => format!(" since {}", pr.m.year.unwrap_or(0)),
                        Lang::Ru => format!(" к {} г.", pr.m.year.unwrap_or(0)),
                    }
                } else {
                    String::new()
                };
                l.push_str(&format!(
                    " ({}{since})",
                    format::percent(change, true, lang)
                ));
            }
        }
        lines.push(l);
        prev = Some(p);
        a.series.push(SeriesPoint {
            year: y,
            amount: p.m.amount,
            currency: p.m.currency.clone(),
        });
    }
    if points.len() >= 2 && first.m.amount > 0.0 {
        let ratio = last.m.amount / first.m.amount;
        let years = (last.m.year.unwrap_or(0) - first.m.year.unwrap_or(0)).max(1) as f64;
        let cagr = (ratio.powf(1.0 / years) - 1.0) * 100.0;
        let headline = match lang {
            Lang::En => format!(
                "x{} ({}) from {} to {}",
                format::number((ratio * 100.0).round() / 100.0, lang),
                format::percent((ratio - 1.0) * 100.0, true, lang),
                format::money(first.m.amount, first.m.currency.as_deref(), lang),
                format::money(last.m.amount, last.m.currency.as_deref(), lang)
            ),
            Lang::Ru => format!(
                "в {} раза ({}): с {} до {}",
                format::number((ratio * 100.0).round() / 100.0, lang),
                format::percent((ratio - 1.0) * 100.0, true, lang),
                format::money(first.m.amount, first.m.currency.as_deref(), lang),
                format::money(last.m.amount, last.m.currency.as_deref(), lang)
            ),
        };
        a.headline = Some(headline);
        lines.push(match lang {
            Lang::En => format!(
                "Over {span}: x{:.2}, {} in all, {} a year on average.",
                ratio,
                format::percent((ratio - 1.0) * 100.0, true, lang),
                format::percent(cagr, true, lang)
            ),
            Lang::Ru => format!(
                "За {span}: в {} раза, всего {}, в среднем {} в год.",
                format::number((ratio * 100.0).round() / 100.0, lang),
                format::percent((ratio - 1.0) * 100.0, true, lang),
                format::percent(cagr, true, lang)
            ),
        });
    } else {
        a.headline = Some(format::money(
            first.m.amount,
            first.m.currency.as_deref(),
            lang,
        ));
    }
    // Missing years inside the range asked for (or inside the span found).
    let (lo, hi) = range.unwrap_or((first.m.year.unwrap_or(0), last.m.year.unwrap_or(0)));
    let have: Vec<i32> = points.iter().filter_map(|p| p.m.year).collect();
    let missing = year_runs(&(lo..=hi).filter(|y| !have.contains(y)).collect::<Vec<_>>());
    if !missing.is_empty() {
        lines.push(match lang {
            Lang::En => format!(
                "No figure in the documents for {}.",
                format::list(&missing, lang)
            ),
            Lang::Ru => format!("Нет данных за {}.", format::list(&missing, lang)),
        });
    }
    a.lines = lines;
    for p in &points {
        a.facts.push(fact_json(p.sf, ctx.index));
        ctx.add_source(&mut a, p.sf);
    }
    a.citations = dedup_citations(ctx, &points);
    Some(a)
}

/// "2001, 2004–2022": missing years as runs.
fn year_runs(years: &[i32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}–{}", years[i], years[j])
        } else {
            years[i].to_string()
        });
        i = j + 1;
    }
    out
}

fn dedup_citations(ctx: &Context, points: &[&Candidate]) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for c in points.iter().filter_map(|p| ctx.citation(p.sf)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// No figure fits: say which years the documents have figures of this kind for, and what
/// they give for the year asked (other countries or measures, part of the year, a
/// forecast) without ever saying they have what they do not.
pub(super) fn nothing(ctx: &Context, q: &Question) -> Answer {
    let lang = q.lang;
    let asked_when = match (q.range, q.years.first()) {
        (Some((a, b)), _) => format!("{a}–{b}"),
        (None, Some(y)) => y.to_string(),
        _ => String::new(),
    };
    let mut line = match (lang, asked_when.is_empty()) {
        (Lang::En, false) => format!("I found no trade figure for {asked_when} in the documents."),
        (Lang::En, true) => {
            "I found no trade figure that fits this question in the documents.".to_string()
        }
        (Lang::Ru, false) => format!("В документах нет данных о торговле за {asked_when}."),
        (Lang::Ru, true) => "В документах нет цифр, подходящих к этому вопросу.".to_string(),
    };
    // Years with a full-year actual figure of the kind asked: those are the ones to offer.
    let mut fitting: Vec<i32> = candidates(ctx, q)
        .iter()
        .filter(|c| c.m.modality == Modality::Actual && c.m.period.is_none())
        .filter_map(|c| c.m.year)
        .filter(|y| !q.years.contains(y))
        .collect();
    fitting.sort_unstable();
    fitting.dedup();
    let years = if fitting.is_empty() && q.countries.is_empty() {
        trade_years(ctx)
            .into_iter()
            .filter(|y| !q.years.contains(y))
            .collect()
    } else {
        fitting
    };
    if !years.is_empty() {
        let ys: Vec<String> = years.iter().map(i32::to_string).collect();
        line.push(' ');
        line.push_str(&match lang {
            Lang::En => format!("They give such figures for {}.", format::list(&ys, lang)),
            Lang::Ru => format!("Такие данные есть за {}.", format::list(&ys, lang)),
        });
    }
    // Say what the documents do have for that year: a part-year figure, a forecast, or a
    // figure of another kind (each labelled, so none reads as the answer).
    if let Some(&year) = q.years.first() {
        let relaxed = Question {
            wants_hedged: true,
            wants_full_year: false,
            period: None,
            ..q.clone()
        };
        let asked = asked(ctx, q);
        let near: Vec<&MoneyFact> = ctx
            .stored_facts()
            .iter()
            .zip(&ctx.table.terms)
            .filter_map(|(sf, terms)| match &sf.fact {
                Fact::Money(m)
                    if m.year == Some(year)
                        && score(ctx, &relaxed, &asked, m, terms, &[]).is_some() =>
                {
                    Some(m)
                }
                Fact::Money(_) | Fact::Date(_) => None,
            })
            .take(3)
            .collect();
        // Nothing of the kind asked: what that year's figures are about instead.
        let near = if near.is_empty() {
            ctx.stored_facts()
                .iter()
                .filter_map(|sf| match &sf.fact {
                    Fact::Money(m)
                        if m.year == Some(year)
                            && m.modality == Modality::Actual
                            && m.measure != Measure::Other =>
                    {
                        Some(m)
                    }
                    Fact::Money(_) | Fact::Date(_) => None,
                })
                .take(3)
                .collect()
        } else {
            near
        };
        if !near.is_empty() {
            line.push_str(
                match lang {
                    Lang::En => format!("\nFor {year} they give only:"),
                    Lang::Ru => format!("\nЗа {year} год есть только:"),
                }
                .as_str(),
            );
        }
        for m in near {
            let what = describe(ctx, m, lang);
            let note = format::modality_note(m.modality, lang)
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            line.push_str(&format!(
                "\n{} — {what}{note}.",
                format::money(m.amount, m.currency.as_deref(), lang)
            ));
        }
    }
    let mut a = super::nothing(ctx, q, Some(line));
    a.kind = AnswerKind::None;
    a
}
