//! What the bot does for an admitted update (a [`Job`]): answers questions and commands,
//! button presses and `/reindex`. Who may ask and how often was settled on arrival
//! ([`super::gate`]); sending and retrying is [`super::send`]'s.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InputFile,
    ParseMode, ReplyParameters, UserId,
};

use super::addressing::Request;
use super::callback::Callback;
use super::gate::{Job, Reply};
use super::inline;
use super::send::{describe, send, send_html, HandlerResult, MESSAGE_LIMIT};
use super::state::State;
use super::texts::{self, Texts};
use super::Client;
use crate::answer::{Answer, AnswerKind};
use crate::engine::Engine;
use crate::index::NoProgress;
use crate::question::Lang;
use crate::render;

/// The commands shown in Telegram's menu.
pub fn command_list() -> Vec<BotCommand> {
    vec![
        BotCommand::new("ask", "Ask a question"),
        BotCommand::new("trade", "Trade figures: /trade [countries] [year|range]"),
        BotCommand::new("when", "When something happened: /when <event>"),
        BotCommand::new("timeline", "Dated events in order: /timeline [words]"),
        BotCommand::new("sources", "The documents I answer from"),
        BotCommand::new("about", "What this bot is"),
        BotCommand::new("help", "Commands, with examples"),
    ]
}

/// Does what an admitted update asks.
pub async fn run<B: Client>(bot: B, state: Arc<State>, job: Job) -> HandlerResult {
    match job {
        Job::Request {
            reply,
            request,
            ui,
            user,
        } => on_request(&bot, state, reply, request, ui, user).await,
        Job::Notice { reply, text } => send_html(&bot, reply, &text, None).await,
        Job::Button {
            query,
            reply,
            callback,
            ui,
        } => {
            send(bot.answer_callback_query(query)).await?;
            on_button(&bot, &state, reply, callback, ui).await
        }
        Job::ButtonRefused { query, text } => {
            let mut req = bot.answer_callback_query(query);
            if !text.is_empty() {
                req = req.text(text);
            }
            send(req).await.map(|_| ())
        }
        Job::Inline { query, text, ui } => inline::answer(&bot, &state, query, text, ui).await,
        Job::InlineRefused { query } => send(
            bot.answer_inline_query(query, Vec::<InlineQueryResult>::new())
                .cache_time(5)
                .is_personal(true),
        )
        .await
        .map(|_| ()),
    }
}

/// Tells the user that answering failed, after an internal error: a short apology where
/// the answer would have gone. A failure to send it is only logged.
pub async fn apologise<B: Client>(bot: &B, reply: Reply, lang: Lang) {
    if let Err(e) = send_html(bot, reply, texts::texts(lang).internal_error, None).await {
        log::warn!("could not send an apology: {}", describe(&e));
    }
}

async fn on_request<B: Client>(
    bot: &B,
    state: Arc<State>,
    reply: Reply,
    request: Request,
    lang: Lang,
    user: Option<UserId>,
) -> HandlerResult {
    let ui = texts::texts(lang);
    match request {
        Request::Start => {
            let engine = state.engine();
            let examples = examples(&engine, lang);
            let kb = InlineKeyboardMarkup::new(examples.iter().enumerate().map(|(i, e)| {
                vec![InlineKeyboardButton::callback(
                    e.clone(),
                    Callback::Example { index: i }.encode(),
                )]
            }));
            let text = format!("{}\n\n{}", render::escape_html(ui.greeting), ui.try_these);
            send_html(bot, reply, &text, Some(kb)).await
        }
        Request::Help => {
            send_html(bot, reply, &ui.help.replace("{bot}", &state.username), None).await
        }
        Request::Sources => {
            let engine = state.engine();
            let mut paras = vec![ui.sources_title.to_string()];
            for d in engine.documents() {
                let date = d.date.map(|d| format!(" — {d}")).unwrap_or_default();
                let title = render::escape_html(&d.title);
                let title = match &d.source {
                    Some(u) if u.starts_with("http") => {
                        format!("<a href=\"{}\">{title}</a>", render::escape_html(u))
                    }
                    _ => title,
                };
                paras.push(format!("• {title}{}", render::escape_html(&date)));
            }
            for m in render::split_messages(&[paras.join("\n")], MESSAGE_LIMIT) {
                send_html(bot, reply, &m, None).await?;
            }
            Ok(())
        }
        Request::About => {
            let engine = state.engine();
            let text = ui
                .about
                .replace("{docs}", &engine.documents().len().to_string())
                .replace("{passages}", &engine.passage_count().to_string())
                .replace("{facts}", &engine.facts().len().to_string());
            send_html(bot, reply, &text, None).await
        }
        Request::Reindex => match user {
            Some(user) if state.is_admin(user.0) => reindex(bot, state, reply, user, ui).await,
            _ => send_html(bot, reply, ui.not_admin, None).await,
        },
        Request::Unknown => send_html(bot, reply, ui.unknown_command, None).await,
        Request::EmptyAsk => {
            let engine = state.engine();
            let example = examples(&engine, lang)
                .into_iter()
                .next()
                .unwrap_or_default();
            send_html(
                bot,
                reply,
                &ui.empty_ask
                    .replace("{example}", &render::escape_html(&example)),
                None,
            )
            .await
        }
        Request::Ask(q) => ask(bot, &state, reply, &q, lang).await,
    }
}

/// Up to three questions the documents can answer, for /start and empty inline queries.
pub fn examples(engine: &Engine, lang: Lang) -> Vec<String> {
    let mut out = engine.suggestions(lang);
    out.truncate(3);
    out
}

async fn answer_of(state: &State, question: &str) -> Option<Answer> {
    let q = question.to_string();
    state.with_engine(move |engine| engine.ask(&q)).await
}

async fn ask<B: Client>(
    bot: &B,
    state: &State,
    reply: Reply,
    q: &str,
    lang: Lang,
) -> HandlerResult {
    let ui = texts::texts(lang);
    faults::panic_if_asked(q);
    let Some(answer) = answer_of(state, q).await else {
        return send_html(bot, reply, ui.internal_error, None).await;
    };
    let qid = state.remember(q, answer.lang);
    send_answer(bot, state, reply, &answer, ui, qid, 0).await
}

/// Buttons under an answer: its source, more passages, and a chart for a series.
/// `offset` is where the passages shown start; `page` is how many a page holds.
fn keyboard(
    answer: &Answer,
    ui: &Texts,
    qid: u64,
    offset: usize,
    page: usize,
) -> Option<InlineKeyboardMarkup> {
    let button = |text: &str, c: Callback| InlineKeyboardButton::callback(text, c.encode());
    let mut row = Vec::new();
    if let Some(s) = answer.sources.first() {
        row.push(button(
            ui.source_button,
            Callback::Source {
                doc: s.doc_index,
                passage: s.passage,
            },
        ));
    }
    let more = match answer.kind {
        // A full page may have more after it; a short one was the last.
        AnswerKind::Passage if answer.sources.len() >= page => Some(offset + page),
        // The passages behind a figure or a date.
        AnswerKind::Trade | AnswerKind::Date => Some(0),
        _ => None,
    };
    if let Some(next) = more {
        row.push(button(
            ui.more_button,
            Callback::More {
                question: qid,
                offset: next,
            },
        ));
    }
    if answer.series.len() >= 2 {
        row.push(button(ui.chart_button, Callback::Chart { question: qid }));
    }
    (!row.is_empty()).then(|| InlineKeyboardMarkup::new(vec![row]))
}

async fn send_answer<B: Client>(
    bot: &B,
    state: &State,
    reply: Reply,
    answer: &Answer,
    ui: &Texts,
    qid: u64,
    offset: usize,
) -> HandlerResult {
    let page = state.config.search.results.max(1);
    let messages = render::telegram_html(answer, MESSAGE_LIMIT);
    let kb = keyboard(answer, ui, qid, offset, page);
    let last = messages.len().saturating_sub(1);
    for (i, m) in messages.iter().enumerate() {
        let markup = if i == last { kb.clone() } else { None };
        let to = if i == 0 {
            reply
        } else {
            Reply { to: None, ..reply }
        };
        send_html(bot, to, m, markup).await?;
    }
    Ok(())
}

async fn reindex<B: Client>(
    bot: &B,
    state: Arc<State>,
    reply: Reply,
    user: UserId,
    ui: &'static Texts,
) -> HandlerResult {
    if !state.begin_reindex() {
        return send_html(bot, reply, ui.reindex_busy, None).await;
    }
    send_html(bot, reply, ui.reindex_started, None).await?;
    let config = state.config.clone();
    let built = tokio::task::spawn_blocking(move || Engine::rebuild(config, &NoProgress)).await;
    let text = match built {
        Ok(Ok(engine)) => {
            let text = ui
                .reindex_done
                .replace("{docs}", &engine.documents().len().to_string())
                .replace("{passages}", &engine.passage_count().to_string())
                .replace("{facts}", &engine.facts().len().to_string());
            state.swap_engine(engine);
            log::info!("index rebuilt on request of user {}", user.0);
            text
        }
        Ok(Err(e)) => {
            log::error!("reindex failed: {e}");
            ui.reindex_failed
                .replace("{reason}", &render::escape_html(&e.to_string()))
        }
        Err(e) => {
            log::error!("reindex task failed: {e}");
            ui.reindex_failed.replace("{reason}", "internal error")
        }
    };
    state.end_reindex();
    send_html(bot, reply, &text, None).await
}

/// A button press, already acknowledged.
async fn on_button<B: Client>(
    bot: &B,
    state: &State,
    reply: Reply,
    callback: Option<Callback>,
    lang: Lang,
) -> HandlerResult {
    let ui = texts::texts(lang);
    let Some(callback) = callback else {
        return send_html(bot, reply, ui.expired, None).await;
    };
    match callback {
        Callback::Source { doc, passage } => match state.engine().passage(doc, passage) {
            Some(s) => {
                let html = render::telegram_passage(&s, lang);
                for m in render::split_messages(&[html], MESSAGE_LIMIT) {
                    send_html(bot, reply, &m, None).await?;
                }
                Ok(())
            }
            None => send_html(bot, reply, ui.expired, None).await,
        },
        Callback::More { question, offset } => {
            let Some((q, _)) = state.recall(question) else {
                return send_html(bot, reply, ui.expired, None).await;
            };
            match state
                .with_engine(move |engine| engine.more(&q, offset))
                .await
            {
                Some(answer) => send_answer(bot, state, reply, &answer, ui, question, offset).await,
                None => send_html(bot, reply, ui.internal_error, None).await,
            }
        }
        Callback::Chart { question } => {
            let Some((q, _)) = state.recall(question) else {
                return send_html(bot, reply, ui.expired, None).await;
            };
            let Some(answer) = answer_of(state, &q).await else {
                return send_html(bot, reply, ui.internal_error, None).await;
            };
            send_chart(bot, reply, &answer, ui).await
        }
        Callback::Example { index } => {
            let engine = state.engine();
            let Some(example) = examples(&engine, lang).into_iter().nth(index) else {
                return send_html(bot, reply, ui.expired, None).await;
            };
            ask(bot, state, Reply { to: None, ..reply }, &example, lang).await
        }
    }
}

async fn send_chart<B: Client>(
    bot: &B,
    reply: Reply,
    answer: &Answer,
    ui: &Texts,
) -> HandlerResult {
    let png = match crate::chart::render_png(answer) {
        Ok(p) => p,
        Err(e) => {
            log::info!("no chart: {e}");
            return send_html(bot, reply, ui.no_chart, None).await;
        }
    };
    let caption = crate::chart::caption(answer);
    let mut req = bot
        .send_photo(reply.chat, InputFile::memory(png).file_name("chart.png"))
        .caption(render::escape_html(&caption))
        .parse_mode(ParseMode::Html);
    if let Some(id) = reply.to {
        req = req.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    send(req).await.map(|_| ())
}

/// A fault the integration tests inject: in debug builds, a question containing the text
/// of `FACTBOT_DEBUG_PANIC_ON` panics while it is answered, so that the tests can check
/// that one failing update costs nothing else. Release builds have no such switch.
mod faults {
    #[cfg(debug_assertions)]
    pub fn panic_if_asked(question: &str) {
        if let Some(marker) = std::env::var_os("FACTBOT_DEBUG_PANIC_ON") {
            if marker
                .to_str()
                .is_some_and(|m| !m.is_empty() && question.contains(m))
            {
                panic!("injected fault while answering {question:?}");
            }
        }
    }

    #[cfg(not(debug_assertions))]
    pub fn panic_if_asked(_question: &str) {}
}
