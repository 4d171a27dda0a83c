//! Judges an `ask --json` answer against an expected one, the same way
//! `shared/tools/eval_answers.py` does (so the golden tests and the evaluation agree).

use serde_json::Value;

fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace('\u{a0}', " ")
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn unit(u: Option<&str>) -> f64 {
    match u.unwrap_or("") {
        "thousand" => 1e3,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => 1.0,
    }
}

fn expected_amounts(exp: &Value) -> Vec<f64> {
    let mut out = Vec::new();
    if let Some(a) = exp["amount"].as_f64() {
        out.push(a);
    }
    if let Some(v) = exp["value"].as_f64() {
        out.push(v * unit(exp["unit"].as_str()));
    }
    for alt in exp["also_acceptable"].as_array().into_iter().flatten() {
        if let Some(v) = alt["value"].as_f64() {
            out.push(v * unit(alt["unit"].as_str()));
        }
        if let Some(a) = alt["amount"].as_f64() {
            out.push(a);
        }
    }
    out
}

fn money_ok(fact: Option<&Value>, amount: f64, year: Option<i64>) -> bool {
    let Some(f) = fact else { return false };
    if f["type"] != "money" {
        return false;
    }
    let Some(a) = f["amount"].as_f64() else {
        return false;
    };
    if amount == 0.0 || ((a - amount) / amount).abs() > 0.005 {
        return false;
    }
    match (year, f["year"].as_i64()) {
        (Some(y), Some(fy)) => y == fy,
        _ => true,
    }
}

/// `Ok(())` when the answer meets the expectation, else why not.
pub fn judge(q: &Value, ans: &Value) -> Result<(), String> {
    let kind = q["kind"].as_str().unwrap_or("");
    let exp = &q["expect"];
    let akind = ans["kind"].as_str().unwrap_or("");
    let facts: Vec<Value> = ans["facts"].as_array().cloned().unwrap_or_default();
    let why = |s: String| {
        Err(format!(
            "{s}; answer: {}",
            ans["text"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        ))
    };
    match kind {
        "none" | "unanswerable" => {
            if akind == "none" || akind == "passage" {
                Ok(())
            } else {
                why(format!("kind={akind}, wanted none or passage"))
            }
        }
        "trade" => {
            if akind != "trade" {
                return why(format!("kind={akind}"));
            }
            if let Some(series) = exp["series"].as_object() {
                for (y, v) in series {
                    let y: i64 = y.parse().unwrap_or(0);
                    let want = v.as_f64().unwrap_or(0.0);
                    let got = facts
                        .iter()
                        .find(|f| f["type"] == "money" && f["year"].as_i64() == Some(y));
                    if !money_ok(got, want, Some(y)) {
                        return why(format!(
                            "year {y}: want {want}, got {:?}",
                            got.map(|g| &g["amount"])
                        ));
                    }
                }
                return Ok(());
            }
            let year = exp["year"].as_i64();
            let first = facts.first();
            if !expected_amounts(exp)
                .iter()
                .any(|&a| money_ok(first, a, year))
            {
                return why(format!(
                    "first fact {:?}/{:?}, want {:?} in {year:?}",
                    first.map(|f| &f["amount"]),
                    first.map(|f| &f["year"]),
                    expected_amounts(exp)
                ));
            }
            // The repo's own sets may also say what the headline leads with (a growth rate,
            // a share); the shared evaluation tool does not read this key.
            if let Some(h) = exp["headline_contains"].as_str() {
                if !ans["headline"].as_str().unwrap_or("").contains(h) {
                    return why(format!("headline without {h:?}"));
                }
            }
            if let Some(p) = exp["percent"].as_f64() {
                let in_facts = facts
                    .iter()
                    .any(|f| f["percent"].as_f64().is_some_and(|x| (x - p).abs() < 0.05));
                let in_text = ans["text"].as_str().unwrap_or("").contains(&p.to_string());
                if !in_facts && !in_text {
                    return why(format!("no percent {p}"));
                }
            }
            Ok(())
        }
        "date" => {
            if akind != "date" {
                return why(format!("kind={akind}"));
            }
            let got: Vec<&str> = facts
                .iter()
                .filter(|f| f["type"] == "date")
                .filter_map(|f| f["date"].as_str())
                .collect();
            if let Some(order) = exp["dates_in_order"].as_array() {
                let mut it = got.iter();
                for d in order {
                    let d = d.as_str().unwrap_or("");
                    if !it.any(|g| *g == d) {
                        return why(format!("{d} missing or out of order in {got:?}"));
                    }
                }
                return Ok(());
            }
            let mut want: Vec<String> =
                exp["date"].as_str().map(String::from).into_iter().collect();
            for alt in exp["also_acceptable"].as_array().into_iter().flatten() {
                if let Some(d) = alt["date"].as_str() {
                    want.push(d.to_string());
                }
            }
            match got.first() {
                Some(g) if want.iter().any(|w| w == g) => Ok(()),
                other => why(format!("first date {other:?}, want {want:?}")),
            }
        }
        "passage" | "general" => {
            let mut hay = norm(ans["text"].as_str().unwrap_or(""));
            for s in ans["sources"].as_array().into_iter().flatten().take(3) {
                hay.push(' ');
                hay.push_str(&norm(s["text"].as_str().unwrap_or("")));
                hay.push(' ');
                hay.push_str(&norm(s["snippet"].as_str().unwrap_or("")));
            }
            for c in exp["contains"].as_array().into_iter().flatten() {
                let c = norm(c.as_str().unwrap_or(""));
                if !hay.contains(&c) {
                    return why(format!("missing {c:?}"));
                }
            }
            Ok(())
        }
        other => Err(format!("unknown kind {other}")),
    }
}
