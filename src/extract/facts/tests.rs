//! Whole-passage checks of the resolvers together.

use super::*;

fn facts(text: &str, published: Option<NaiveDate>) -> Vec<Fact> {
    let aliases = Aliases::builtin();
    extract_facts(
        text,
        &FactContext {
            published,
            aliases: &aliases,
            title: "Kazakhstan and Kyrgyzstan",
            date_order: Default::default(),
            lead_period: None,
        },
    )
}

/// The money facts of `text` under `title`, published 2023-03-01, with why.
pub(super) fn explained(text: &str, title: &str) -> Vec<(MoneyFact, Explanation)> {
    let aliases = Aliases::builtin();
    extract_explained(
        text,
        &FactContext {
            published: NaiveDate::from_ymd_opt(2023, 3, 1),
            aliases: &aliases,
            title,
            date_order: Default::default(),
            lead_period: None,
        },
    )
    .into_iter()
    .filter_map(|(f, why)| match (f, why) {
        (Fact::Money(m), Some(why)) => Some((m, why)),
        _ => None,
    })
    .collect()
}

fn money(f: &[Fact]) -> Vec<&MoneyFact> {
    f.iter()
        .filter_map(|f| match f {
            Fact::Money(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn dates(f: &[Fact]) -> Vec<&DateFact> {
    f.iter()
        .filter_map(|f| match f {
            Fact::Date(d) => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn yearly_list_gives_each_figure_its_year() {
    let f = facts("Kazakhstan is the second partner of Kyrgyzstan. The foreign trade turnover between the states was $90.8 million in 2000, $120.8 million in 2001, and $228.0 million in 2003.", None);
    let m = money(&f);
    let got: Vec<(f64, Option<i32>)> = m.iter().map(|m| (m.amount, m.year)).collect();
    assert_eq!(
        got,
        vec![
            (90_800_000.0, Some(2000)),
            (120_800_000.0, Some(2001)),
            (228_000_000.0, Some(2003))
        ]
    );
    assert!(m
        .iter()
        .all(|m| m.measure == Measure::Turnover && m.modality == Modality::Actual));
    assert_eq!(m[0].parties, vec!["Kazakhstan", "Kyrgyzstan"]);
    assert_eq!(m[0].scope, Scope::Bilateral);
}

#[test]
fn share_of_a_total() {
    let f = facts("In 2023 Kyrgyzstan's foreign trade turnover made 15.6 billion US dollars of which 1.3 billion US dollars or 8.3% fell on Kazakhstan.", None);
    let m = money(&f);
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].amount, m[0].year, m[0].scope),
        (15.6e9, Some(2023), Scope::Total)
    );
    assert_eq!(m[0].parties, vec!["Kyrgyzstan"]);
    assert_eq!(
        (m[1].amount, m[1].year, m[1].percent, m[1].whole),
        (1.3e9, Some(2023), Some(8.3), Some(15.6e9))
    );
    assert_eq!(m[1].parties, vec!["Kyrgyzstan", "Kazakhstan"]);
}

#[test]
fn hedged_figures_are_not_actual() {
    let f = facts("Kazakhstan and Kyrgyzstan have great potential and may reach 5 billion US dollars. They plan to raise trade to $4 billion by 2030. Trade is expected to surpass $2 billion in 2025. Trade was $1 billion in 2022.", None);
    let m = money(&f);
    let got: Vec<Modality> = m.iter().map(|m| m.modality).collect();
    assert_eq!(
        got,
        vec![
            Modality::Potential,
            Modality::Target,
            Modality::Forecast,
            Modality::Actual
        ]
    );
}

#[test]
fn year_carries_past_a_comparison_into_the_next_sentence() {
    let f = facts("По итогам 2023 года товарооборот составил 4,4 млрд долларов США, увеличившись на 14% по сравнению с 2022 годом. Экспорт достиг 3,2 млрд долларов.", None);
    let m = money(&f);
    assert_eq!(
        (m[1].amount, m[1].year, m[1].measure),
        (3.2e9, Some(2023), Measure::Export)
    );
}

#[test]
fn part_year_periods_are_kept() {
    let f = facts("In January-September 2021, trade between Kazakhstan and Uzbekistan amounted to $2.9 billion.", None);
    let m = money(&f);
    let p = m[0].period.as_ref().expect("period");
    assert_eq!((m[0].year, p.from_month, p.to_month), (Some(2021), 1, 9));
    assert_eq!(m[0].parties, vec!["Kazakhstan", "Uzbekistan"]);
}

#[test]
fn russian_figures() {
    let f = facts("По итогам 2023 года товарооборот между Казахстаном и Кыргызстаном составил 1,9 млрд долларов США, экспорт вырос до 1,2 млрд долларов.", None);
    let m = money(&f);
    assert_eq!(
        (m[0].amount, m[0].year, m[0].measure),
        (1.9e9, Some(2023), Measure::Turnover)
    );
    assert_eq!(m[1].measure, Measure::Export);
}

#[test]
fn events_from_clauses() {
    let f = facts("Diplomatic relations between Kyrgyzstan and Kazakhstan were established on October 15, 1992. The main documents are: the Treaty of Eternal Friendship, signed on April 8, 1997, and the Treaty on Allied Relations, signed on December 25, 2003.", None);
    let d = dates(&f);
    let got: Vec<(String, String)> = d
        .iter()
        .map(|d| (d.date.to_string(), d.event.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "1992-10-15".into(),
                "Diplomatic relations between Kyrgyzstan and Kazakhstan were established".into()
            ),
            (
                "1997-04-08".into(),
                "the Treaty of Eternal Friendship, signed".into()
            ),
            (
                "2003-12-25".into(),
                "the Treaty on Allied Relations, signed".into()
            ),
        ]
    );
}

#[test]
fn russian_lists_with_dashes() {
    let f = facts("Товарооборот между Казахстаном и Кыргызстаном в 2019 году составил 925,3 млн долларов США, в 2020 году — 720,1 млн, в 2021 году — 977,6 млн долларов. В 1997 году был подписан Договор о вечной дружбе, а в декабре 2003 года — Договор о союзнических отношениях.", None);
    let years: Vec<Option<i32>> = money(&f).iter().map(|m| m.year).collect();
    assert_eq!(years, vec![Some(2019), Some(2020), Some(2021)]);
    let d = dates(&f);
    assert_eq!(d[1].event, "Договор о союзнических отношениях");
}

#[test]
fn quoted_names_in_events_stay_closed() {
    let f = facts("In March 2018 the two presidents opened the \"Year of Uzbekistan in Kazakhstan\". Then more.", None);
    assert_eq!(
        dates(&f)[0].event,
        "the two presidents opened the \"Year of Uzbekistan in Kazakhstan\""
    );
}

#[test]
fn event_after_leading_date() {
    let f = facts(
        "On 8 April 1997, the presidents signed the Treaty of Eternal Friendship.",
        None,
    );
    let d = dates(&f);
    assert_eq!(
        d[0].event,
        "the presidents signed the Treaty of Eternal Friendship"
    );
}

#[test]
fn trade_years_are_not_events() {
    let f = facts(
        "Trade was $90.8 million in 2000 and relations grew since 1992.",
        None,
    );
    assert!(dates(&f).is_empty());
}
