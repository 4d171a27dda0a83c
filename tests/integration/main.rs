//! The integration suite: one test binary, built once. Each module covers one part of the
//! product against real documents (the shipped sample corpus and `tests/data/`).

mod bench_corpus;
mod bot;
mod bot_abuse;
mod bot_faults;
mod bounded;
mod cli;
mod corpus;
mod deploy;
mod extraction;
mod fact_cases;
mod fake_telegram;
mod faults;
mod golden;
mod hostile;
mod judge;
mod noise;
mod offsets;
mod properties;
mod service;
mod support;
