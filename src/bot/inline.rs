//! Inline mode: `@Bot question` typed in any chat gets up to five ready messages.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryId, InlineQueryResult, InlineQueryResultArticle, InputMessageContent,
    InputMessageContentText, ParseMode,
};

use super::handlers::examples;
use super::send::{no_preview, send, HandlerResult, MESSAGE_LIMIT};
use super::state::State;
use super::texts::{self, Texts};
use super::Client;
use crate::answer::{Answer, AnswerKind, SourceRef};
use crate::engine::Engine;
use crate::question::Lang;
use crate::render;

/// How long Telegram may keep the results of a query. They depend on the user (their
/// language, whether they may use the bot), so they are cached per user
/// (`is_personal`): Telegram must not show one user's results to another.
const CACHE_SECONDS: u32 = 30;

pub async fn answer<B: Client>(
    bot: &B,
    state: &Arc<State>,
    query: InlineQueryId,
    text: String,
    lang: Lang,
) -> HandlerResult {
    let ui = texts::texts(lang);
    let results: Vec<InlineQueryResult> = state
        .with_engine(move |engine| inline_results(engine, &text, lang, ui))
        .await
        .unwrap_or_default();
    send(
        bot.answer_inline_query(query, results)
            .cache_time(CACHE_SECONDS)
            .is_personal(true),
    )
    .await
    .map(|_| ())
}

fn article(id: String, title: &str, description: &str, html: String) -> InlineQueryResult {
    let content = InputMessageContent::Text(
        InputMessageContentText::new(html)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview()),
    );
    let title: String = title.chars().take(120).collect();
    let description: String = description.chars().take(200).collect();
    InlineQueryResult::Article(
        InlineQueryResultArticle::new(id, title, content).description(description),
    )
}

/// One ready message per passage.
fn passages(sources: &[SourceRef], lang: Lang) -> impl Iterator<Item = InlineQueryResult> + '_ {
    sources.iter().take(5).enumerate().map(move |(i, s)| {
        article(
            format!("p{i}"),
            &s.title,
            &s.snippet,
            render::telegram_passage(s, lang),
        )
    })
}

/// Up to five ready messages: the structured answer first, then passages. An empty query
/// offers examples.
fn inline_results(engine: &Engine, query: &str, lang: Lang, ui: &Texts) -> Vec<InlineQueryResult> {
    let first_message = |a: &Answer| {
        render::telegram_html(a, MESSAGE_LIMIT)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    if query.is_empty() {
        return examples(engine, lang)
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let a = engine.ask(e);
                article(format!("ex{i}"), e, ui.inline_examples, first_message(&a))
            })
            .collect();
    }
    let answer = engine.ask(query);
    let mut out = Vec::new();
    match answer.kind {
        AnswerKind::Trade | AnswerKind::Date => {
            let title = answer.headline.clone().unwrap_or_else(|| query.to_string());
            let desc = answer.lines.first().cloned().unwrap_or_default();
            out.push(article("a0".into(), &title, &desc, first_message(&answer)));
            out.extend(passages(&engine.more(query, 0).sources, answer.lang));
        }
        AnswerKind::Passage => out.extend(passages(&answer.sources, answer.lang)),
        AnswerKind::None => {
            let text = answer.text();
            out.push(article("n0".into(), &text, "", first_message(&answer)));
        }
    }
    out.truncate(5);
    out
}
