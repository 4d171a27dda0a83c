//! The extraction table: real-world phrasings of money, dates and percentages in English
//! and Russian, and look-alikes that must not match, in `tests/data/extraction-cases.jsonl`.
//! A money case may give `max` (the upper end of a range) and `qualifier` ("about", "nearly",
//! "over", "under"); when it does not, the amount must have none.

use chrono::NaiveDate;
use factbot::extract::{self, Mention};
use serde_json::Value;

use crate::support::{assert_all_pass, read_jsonl, repo};

fn found(m: &Mention) -> Option<Value> {
    let v = m.to_json();
    match v["type"].as_str()? {
        "money" => Some(serde_json::json!({"type": "money", "amount": v["amount"],
            "currency": v["currency"], "max": v["max"], "qualifier": v["qualifier"]})),
        "date" => Some(serde_json::json!({"type": "date", "date": v["date"]})),
        "percent" => Some(serde_json::json!({"type": "percent", "value": v["value"]})),
        _ => None,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    if a["type"] != b["type"] {
        return false;
    }
    match a["type"].as_str() {
        Some("money") => {
            let (x, y) = (
                a["amount"].as_f64().unwrap_or(0.0),
                b["amount"].as_f64().unwrap_or(-1.0),
            );
            // A range's upper end and a qualifier must match too; absent means none.
            let close = |x: f64, y: f64| (x - y).abs() <= 0.0001 * x.abs().max(1.0);
            let max = match (a["max"].as_f64(), b["max"].as_f64()) {
                (Some(x), Some(y)) => close(x, y),
                (x, y) => x.is_none() && y.is_none(),
            };
            close(x, y)
                && a["currency"] == b["currency"]
                && max
                && a["qualifier"].as_str() == b["qualifier"].as_str()
        }
        Some("date") => a["date"] == b["date"],
        Some("percent") => {
            (a["value"].as_f64().unwrap_or(0.0) - b["value"].as_f64().unwrap_or(-1.0)).abs() < 1e-9
        }
        _ => false,
    }
}

#[test]
fn extraction_table() {
    let cases = read_jsonl(&repo().join("tests/data/extraction-cases.jsonl"));
    assert!(cases.len() >= 100, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let text = c["text"].as_str().expect("text");
        let published = c["published"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let got: Vec<Value> = extract::mentions(text, published)
            .iter()
            .filter_map(found)
            .collect();
        let want: Vec<Value> = c["expect"].as_array().cloned().unwrap_or_default();
        let missing: Vec<&Value> = want
            .iter()
            .filter(|w| !got.iter().any(|g| same(w, g)))
            .collect();
        let extra: Vec<&Value> = got
            .iter()
            .filter(|g| !want.iter().any(|w| same(w, g)))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{text:?}\n   missing {missing:?}\n   extra   {extra:?}"
            ));
        }
    }
    assert_all_pass(&failures, cases.len());
}
