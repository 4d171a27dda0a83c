//! factbot: answers questions from a folder of documents with the best passages, and gives
//! structured answers (figures, dates) to trade and date questions.
//!
//! The library knows nothing of Telegram; the CLI and the bot are thin adapters over
//! [`engine::Engine`]. See ARCHITECTURE.md for the pipeline and its invariants.

pub mod aliases;
pub mod answer;
pub mod bench;
pub mod bot;
pub mod chart;
pub mod config;
pub mod corpus;
pub mod engine;
pub mod extract;
pub mod format;
pub mod index;
pub mod lexicon;
pub mod question;
pub mod render;
pub mod search;
pub mod text;
