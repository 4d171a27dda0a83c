//! Chat noise is not content: every question of the golden sets, wrapped in a greeting or a
//! mention before and courtesy, `??` or an emoji after (in the question's language), gets
//! the same kind of answer and the same first fact as the bare question.

use std::path::Path;

use factbot::question::Lang;
use serde_json::Value;

use crate::support::{engine_for, read_jsonl, repo, sample_documents};

/// The noisy forms of a question. A `/command` keeps its place at the start.
fn noisy(question: &str) -> Vec<String> {
    let ru = Lang::detect(question) == Lang::Ru;
    if question.starts_with('/') {
        return if ru {
            vec![
                format!("{question} пожалуйста 🙏"),
                format!("{question}?? спасибо"),
            ]
        } else {
            vec![format!("{question} pls"), format!("{question} thanks 🙏")]
        };
    }
    if ru {
        vec![
            format!("привет, бот! {question} пожалуйста"),
            format!("@FactBot подскажите, {question}?? спасибо"),
            format!("{question} 🙏"),
        ]
    } else {
        vec![
            format!("hey bot, {question} pls"),
            format!("@FactBot {question} thanks 🙏"),
            format!("hi! quick question: {question}??"),
        ]
    }
}

/// What must not change: the kind and the first fact.
fn essence(answer: &Value) -> (Value, Value) {
    (
        answer["kind"].clone(),
        answer["facts"].get(0).cloned().unwrap_or(Value::Null),
    )
}

fn check(documents: &Path, questions: &str) {
    let (engine, _tmp) = engine_for(documents);
    let mut failures = Vec::new();
    let qs = read_jsonl(&repo().join("tests/data").join(questions));
    for q in &qs {
        let text = q["question"].as_str().expect("question");
        let bare = essence(&engine.ask(text).to_json());
        for n in noisy(text) {
            let got = essence(&engine.ask(&n).to_json());
            if got != bare {
                failures.push(format!(
                    "{n:?}: kind {} / first fact {}, bare {text:?}: kind {} / first fact {}",
                    got.0, got.1, bare.0, bare.1
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} noisy questions changed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn noise_leaves_seed_answers_alone() {
    check(&sample_documents(), "seed-questions.jsonl");
}

#[test]
fn noise_leaves_sample_answers_alone() {
    check(&sample_documents(), "sample-questions.jsonl");
}

#[test]
fn noise_leaves_second_corpus_answers_alone() {
    check(
        &repo().join("tests/data/corpus2"),
        "corpus2-questions.jsonl",
    );
}

#[test]
fn noise_leaves_events_answers_alone() {
    check(&repo().join("tests/data/events"), "events-questions.jsonl");
}

#[test]
fn noise_leaves_third_corpus_answers_alone() {
    check(
        &repo().join("tests/data/corpus3"),
        "corpus3-questions.jsonl",
    );
}
