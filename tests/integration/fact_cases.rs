//! The fact table: short news texts of our own (with a title and a publication date) and the
//! money facts a careful reader takes from them, in `tests/data/fact-cases.jsonl`.
//!
//! A case may give its document's `lead` (first passage) when the text is a later passage.
//! Every attribute counts: amount, currency, year, period (months), measure, category,
//! modality, parties (as a set), percent, whole, stated growth and the origin of an export
//! or import. A case may say `"xfail": "why"` when
//! today's reading is known to be wrong: it must still fail, so fixing it is noticed.
//!
//! Blessing is explicit: `FACTBOT_BLESS=1 cargo test --test integration fact_cases` writes
//! today's facts into every case that has no `expect` yet (new cases are seeded from what
//! the code does, then read and corrected by hand); `FACTBOT_BLESS=all` rewrites the
//! expectation of every case not marked `xfail` (after a deliberate change, to be reviewed
//! in the diff).

use chrono::NaiveDate;
use factbot::aliases::Aliases;
use factbot::extract::{extract_facts, lead_period, Fact, FactContext, MoneyFact};
use serde_json::{json, Value};

use crate::support::{assert_all_pass, read_jsonl, repo};

/// The attributes of a money fact the table checks, in a stable form.
fn project(m: &MoneyFact) -> Value {
    let mut parties = m.parties.clone();
    parties.sort();
    json!({
        "amount": m.amount,
        "currency": m.currency,
        "year": m.year,
        "period": m.period.as_ref().map(|p| format!("{}-{}", p.from_month, p.to_month)),
        "measure": m.measure,
        "category": m.category,
        "modality": m.modality,
        "parties": parties,
        "percent": m.percent,
        "whole": m.whole,
        "growth": m.growth,
        "origin": m.origin,
    })
}

fn facts_of(case: &Value, aliases: &Aliases) -> Vec<Value> {
    let text = case["text"].as_str().expect("text");
    let published = case["published"]
        .as_str()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let ctx = FactContext {
        published,
        aliases,
        title: case["title"].as_str().unwrap_or(""),
        date_order: Default::default(),
        lead_period: case["lead"].as_str().and_then(lead_period),
    };
    extract_facts(text, &ctx)
        .iter()
        .filter_map(|f| match f {
            Fact::Money(m) => Some(project(m)),
            Fact::Date(_) => None,
        })
        .collect()
}

fn close(a: &Value, b: &Value, rel: f64) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= rel * x.abs().max(y.abs()).max(1.0),
        _ => a.is_null() && b.is_null(),
    }
}

/// One expected fact against one found: numbers within rounding, the rest exactly. A key
/// the expectation leaves out means "none" (null), so an attribute can't appear unnoticed.
fn same(want: &Value, got: &Value) -> bool {
    let field = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let parties = |v: &Value| {
        let mut p: Vec<String> = v["parties"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        p.sort();
        p
    };
    close(&want["amount"], &got["amount"], 1e-6)
        && close(&field(want, "percent"), &field(got, "percent"), 0.002)
        && close(&field(want, "whole"), &field(got, "whole"), 0.005)
        && close(&field(want, "growth"), &field(got, "growth"), 0.002)
        && parties(want) == parties(got)
        && [
            "currency", "year", "period", "measure", "category", "modality", "origin",
        ]
        .iter()
        .all(|k| field(want, k) == field(got, k))
}

fn mismatch(want: &[Value], got: &[Value]) -> Option<String> {
    let ok = want.len() == got.len() && want.iter().zip(got).all(|(w, g)| same(w, g));
    (!ok).then(|| {
        let show = |v: &[Value]| {
            v.iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join("\n      ")
        };
        format!("   want {}\n   got  {}", show(want), show(got))
    })
}

#[test]
fn fact_cases() {
    let path = repo().join("tests/data/fact-cases.jsonl");
    let mut cases = read_jsonl(&path);
    let aliases = Aliases::builtin();
    let bless = std::env::var("FACTBOT_BLESS").unwrap_or_default();
    if !bless.is_empty() {
        for c in &mut cases {
            let fresh = c.get("expect").is_none();
            if fresh || (bless == "all" && c.get("xfail").is_none()) {
                c["expect"] = Value::Array(facts_of(c, &aliases));
            }
        }
        let out: String = cases.iter().map(|c| format!("{c}\n")).collect();
        std::fs::write(&path, out).expect("write the blessed table");
    }
    assert!(cases.len() >= 200, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let want: Vec<Value> = c["expect"].as_array().cloned().unwrap_or_default();
        let got = facts_of(c, &aliases);
        let text = c["text"].as_str().unwrap_or("");
        match (mismatch(&want, &got), c.get("xfail")) {
            (Some(diff), None) => failures.push(format!("{text:?}\n{diff}")),
            (None, Some(_)) => failures.push(format!("{text:?} now passes: remove its xfail")),
            _ => {}
        }
    }
    assert_all_pass(&failures, cases.len());
}
