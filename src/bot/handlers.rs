//! Update handlers: messages (private and group), inline queries and button presses.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::requests::{Output, Payload};
use teloxide::types::{
    BotCommand, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InlineQuery,
    InlineQueryResult, InlineQueryResultArticle, InputFile, InputMessageContent,
    InputMessageContentText, LinkPreviewOptions, Message, MessageId, ParseMode, ReplyParameters,
};
use teloxide::{ApiError, RequestError};

use super::state::{Admission, State};
use super::texts::{self, Texts};
use super::Client;
use crate::answer::{Answer, AnswerKind};
use crate::engine::Engine;
use crate::index::NoProgress;
use crate::question::{self, Lang};
use crate::render;

type HandlerResult = Result<(), RequestError>;

/// Telegram's limit is 4,096 characters; stay a little under it.
const MESSAGE_LIMIT: usize = 4000;

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

/// What a message asks of the bot.
#[derive(Debug, PartialEq)]
enum Request {
    Start,
    Help,
    Sources,
    About,
    Reindex,
    Unknown,
    EmptyAsk,
    Ask(String),
}

/// Decides whether a message is addressed to the bot and what it asks. In groups the bot
/// answers only commands (for it, or for no bot in particular), mentions of it and
/// replies to its messages; everything else is chatter and gets silence.
fn addressed(state: &State, msg: &Message, text: &str, private: bool) -> Option<Request> {
    let username = state.username.as_str();
    if let (Some(name), rest) = question::split_command(text) {
        let word = text.trim_start()[1..]
            .split_whitespace()
            .next()
            .unwrap_or("");
        let target = word.split_once('@').map(|(_, t)| t);
        let for_us = match target {
            Some(t) => t.eq_ignore_ascii_case(username),
            None => true,
        };
        if !for_us {
            return None;
        }
        let rest = rest.trim().to_string();
        let req = match name.as_str() {
            "start" => Request::Start,
            "help" => Request::Help,
            "sources" => Request::Sources,
            "about" => Request::About,
            "reindex" => Request::Reindex,
            "ask" if rest.is_empty() => Request::EmptyAsk,
            "ask" => Request::Ask(rest),
            "trade" | "when" | "timeline" => {
                Request::Ask(format!("/{name} {rest}").trim_end().to_string())
            }
            // An unknown bare command in a group may be another bot's: stay silent.
            _ if private || target.is_some() => Request::Unknown,
            _ => return None,
        };
        return Some(req);
    }
    if private {
        return Some(Request::Ask(text.to_string()));
    }
    let mention = format!("@{username}");
    if let Some(pos) = text.to_lowercase().find(&mention.to_lowercase()) {
        let without = format!("{}{}", &text[..pos], &text[pos + mention.len()..]);
        let q = without
            .trim()
            .trim_start_matches([',', ':'])
            .trim()
            .to_string();
        return Some(if q.is_empty() {
            Request::Help
        } else {
            Request::Ask(q)
        });
    }
    let replies_to_us = msg
        .reply_to_message()
        .and_then(|r| r.from.as_ref())
        .is_some_and(|u| u.id == state.bot_id);
    replies_to_us.then(|| Request::Ask(text.to_string()))
}

pub async fn on_message<B: Client>(bot: B, msg: Message, state: Arc<State>) -> HandlerResult {
    let Some(from) = msg.from.as_ref() else {
        return Ok(());
    };
    if from.is_bot {
        return Ok(());
    }
    let private = msg.chat.is_private();
    let ui = texts::texts(texts::lang_for(from.language_code.as_deref()));
    let Some(text) = msg.text().or(msg.caption()) else {
        if private {
            send_html(&bot, msg.chat.id, None, ui.not_text, None).await?;
        }
        return Ok(());
    };
    let Some(request) = addressed(&state, &msg, text, private) else {
        return Ok(());
    };
    if !state.allowed(msg.chat.id.0, Some(from.id.0)) {
        if private {
            send_html(&bot, msg.chat.id, None, ui.not_allowed, None).await?;
        }
        return Ok(());
    }
    let reply_to = (!private).then_some(msg.id);
    match state.admit(from.id.0) {
        Admission::Yes => {}
        Admission::SlowDown => {
            let n = state.config.telegram.user_rate_per_minute.to_string();
            return send_html(
                &bot,
                msg.chat.id,
                reply_to,
                &ui.slow_down.replace("{n}", &n),
                None,
            )
            .await;
        }
        Admission::Silent => return Ok(()),
    }
    let chat = msg.chat.id;
    match request {
        Request::Start => {
            let engine = state.engine();
            let examples = examples(&engine, ui_lang(ui));
            let kb =
                InlineKeyboardMarkup::new(examples.iter().enumerate().map(|(i, e)| {
                    vec![InlineKeyboardButton::callback(e.clone(), format!("x:{i}"))]
                }));
            let text = format!("{}\n\n{}", render::escape_html(ui.greeting), ui.try_these);
            send_html(&bot, chat, reply_to, &text, Some(kb)).await
        }
        Request::Help => {
            send_html(
                &bot,
                chat,
                reply_to,
                &ui.help.replace("{bot}", &state.username),
                None,
            )
            .await
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
                send_html(&bot, chat, reply_to, &m, None).await?;
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
            send_html(&bot, chat, reply_to, &text, None).await
        }
        Request::Reindex => reindex(bot, state, chat, reply_to, from.id.0, ui).await,
        Request::Unknown => send_html(&bot, chat, reply_to, ui.unknown_command, None).await,
        Request::EmptyAsk => {
            let engine = state.engine();
            let example = examples(&engine, ui_lang(ui))
                .into_iter()
                .next()
                .unwrap_or_default();
            send_html(
                &bot,
                chat,
                reply_to,
                &ui.empty_ask
                    .replace("{example}", &render::escape_html(&example)),
                None,
            )
            .await
        }
        Request::Ask(q) => ask(&bot, &state, chat, reply_to, &q, ui).await,
    }
}

fn ui_lang(ui: &Texts) -> Lang {
    if std::ptr::eq(ui, texts::texts(Lang::Ru)) {
        Lang::Ru
    } else {
        Lang::En
    }
}

/// Up to three questions the documents can answer, for /start and empty inline queries.
fn examples(engine: &Engine, lang: Lang) -> Vec<String> {
    let mut out = engine.suggestions(lang);
    out.truncate(3);
    out
}

async fn answer_of(state: &State, question: &str) -> Option<Answer> {
    let engine = state.engine();
    let q = question.to_string();
    match tokio::task::spawn_blocking(move || engine.ask(&q)).await {
        Ok(a) => Some(a),
        Err(e) => {
            log::error!("answering failed: {e}");
            None
        }
    }
}

async fn ask<B: Client>(
    bot: &B,
    state: &State,
    chat: ChatId,
    reply_to: Option<MessageId>,
    q: &str,
    ui: &Texts,
) -> HandlerResult {
    let Some(answer) = answer_of(state, q).await else {
        return send_html(bot, chat, reply_to, ui.internal_error, None).await;
    };
    let qid = state.remember(q, answer.lang);
    let results = state.config.search.results.max(1);
    send_answer(bot, chat, reply_to, &answer, ui, qid, results).await
}

/// Buttons under an answer: its source, more passages, and a chart for a series.
fn keyboard(
    answer: &Answer,
    ui: &Texts,
    qid: u64,
    next_offset: usize,
) -> Option<InlineKeyboardMarkup> {
    let mut row = Vec::new();
    if let Some(s) = answer.sources.first() {
        row.push(InlineKeyboardButton::callback(
            ui.source_button,
            format!("s:{}:{}", s.doc_index, s.passage),
        ));
    }
    match answer.kind {
        AnswerKind::Passage if answer.sources.len() >= next_offset.max(1) && next_offset > 0 => {
            row.push(InlineKeyboardButton::callback(
                ui.more_button,
                format!("m:{qid}:{next_offset}"),
            ));
        }
        AnswerKind::Trade | AnswerKind::Date => {
            row.push(InlineKeyboardButton::callback(
                ui.more_button,
                format!("m:{qid}:0"),
            ));
        }
        _ => {}
    }
    if answer.series.len() >= 2 {
        row.push(InlineKeyboardButton::callback(
            ui.chart_button,
            format!("c:{qid}"),
        ));
    }
    (!row.is_empty()).then(|| InlineKeyboardMarkup::new(vec![row]))
}

async fn send_answer<B: Client>(
    bot: &B,
    chat: ChatId,
    reply_to: Option<MessageId>,
    answer: &Answer,
    ui: &Texts,
    qid: u64,
    next_offset: usize,
) -> HandlerResult {
    let messages = render::telegram_html(answer, MESSAGE_LIMIT);
    let kb = keyboard(answer, ui, qid, next_offset);
    let last = messages.len().saturating_sub(1);
    for (i, m) in messages.iter().enumerate() {
        let markup = if i == last { kb.clone() } else { None };
        send_html(bot, chat, if i == 0 { reply_to } else { None }, m, markup).await?;
    }
    Ok(())
}

async fn send_html<B: Client>(
    bot: &B,
    chat: ChatId,
    reply_to: Option<MessageId>,
    text: &str,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    let mut req = bot
        .send_message(chat, text)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    if let Some(id) = reply_to {
        req = req.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    if let Some(kb) = markup {
        req = req.reply_markup(kb);
    }
    send(req).await.map(|_| ())
}

/// How many times a request is tried before its update is given up.
const ATTEMPTS: u32 = 5;
/// The longest 429 `retry_after` waited out; a longer one gives the update up.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// Sends a request, trying again what a later attempt can fix: a network failure (a
/// dropped connection, a reset), a server error (Telegram's 5xx, a proxy's error page)
/// and a 429 (a throttled client waits those out itself; the plain one hands them here).
/// A request that reached Telegram but whose answer was lost may be sent twice: Telegram
/// offers no idempotency key for sendMessage.
async fn send<Q>(req: Q) -> Result<Output<Q>, RequestError>
where
    Q: teloxide::requests::Request<Err = RequestError> + Send + Sync,
{
    let mut attempt = 1;
    loop {
        let err = match req.send_ref().await {
            Ok(out) => return Ok(out),
            Err(e) => e,
        };
        let wait = match retry_delay(&err, attempt) {
            Some(wait) if attempt < ATTEMPTS => wait,
            _ => return Err(err),
        };
        log::warn!(
            "{} failed (attempt {attempt} of {ATTEMPTS}), trying again in {} ms: {err}",
            <Q::Payload as Payload>::NAME,
            wait.as_millis()
        );
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// How long to wait before trying a failed request again, if it is worth trying again.
fn retry_delay(err: &RequestError, attempt: u32) -> Option<Duration> {
    let backoff = Duration::from_millis(200 << attempt.min(5));
    match err {
        RequestError::RetryAfter(s) if s.duration() <= MAX_RETRY_AFTER => Some(s.duration()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            Some(backoff)
        }
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
            Some(backoff)
        }
        _ => None,
    }
}

/// Telegram's descriptions of its own failures ("Internal Server Error", "Bad Gateway"...).
fn is_server_error(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    [
        "internal server error",
        "bad gateway",
        "service unavailable",
        "gateway timeout",
    ]
    .iter()
    .any(|s| d.contains(s))
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

async fn reindex<B: Client>(
    bot: B,
    state: Arc<State>,
    chat: ChatId,
    reply_to: Option<MessageId>,
    user: u64,
    ui: &'static Texts,
) -> HandlerResult {
    if !state.is_admin(user) {
        return send_html(&bot, chat, reply_to, ui.not_admin, None).await;
    }
    if !state.begin_reindex() {
        return send_html(&bot, chat, reply_to, ui.reindex_busy, None).await;
    }
    send_html(&bot, chat, reply_to, ui.reindex_started, None).await?;
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
            log::info!("index rebuilt on request of user {user}");
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
    send_html(&bot, chat, reply_to, &text, None).await
}

pub async fn on_callback<B: Client>(bot: B, q: CallbackQuery, state: Arc<State>) -> HandlerResult {
    let ui = texts::texts(texts::lang_for(q.from.language_code.as_deref()));
    let (Some(data), Some(message)) = (q.data.as_deref(), q.message.as_ref()) else {
        send(bot.answer_callback_query(q.id.clone())).await?;
        return Ok(());
    };
    let chat = message.chat().id;
    let reply_to = Some(message.id());
    if !state.allowed(chat.0, Some(q.from.id.0)) {
        send(bot.answer_callback_query(q.id.clone()).text(ui.not_allowed)).await?;
        return Ok(());
    }
    if let Admission::SlowDown | Admission::Silent = state.admit(q.from.id.0) {
        let n = state.config.telegram.user_rate_per_minute.to_string();
        send(
            bot.answer_callback_query(q.id.clone())
                .text(ui.slow_down.replace("{n}", &n)),
        )
        .await?;
        return Ok(());
    }
    send(bot.answer_callback_query(q.id.clone())).await?;
    let mut parts = data.split(':');
    let kind = parts.next().unwrap_or("");
    let a: Option<u64> = parts.next().and_then(|x| x.parse().ok());
    let b: Option<usize> = parts.next().and_then(|x| x.parse().ok());
    let results = state.config.search.results.max(1);
    match (kind, a, b) {
        ("s", Some(doc), Some(pos)) => {
            let engine = state.engine();
            match engine.passage(doc as usize, pos) {
                Some(s) => {
                    let html = render::telegram_passage(&s, ui_lang(ui));
                    for m in render::split_messages(&[html], MESSAGE_LIMIT) {
                        send_html(&bot, chat, reply_to, &m, None).await?;
                    }
                    Ok(())
                }
                None => send_html(&bot, chat, reply_to, ui.expired, None).await,
            }
        }
        ("m", Some(qid), Some(offset)) => {
            let Some((question, _)) = state.recall(qid) else {
                return send_html(&bot, chat, reply_to, ui.expired, None).await;
            };
            let engine = state.engine();
            let more = tokio::task::spawn_blocking(move || engine.more(&question, offset)).await;
            match more {
                Ok(answer) => {
                    send_answer(&bot, chat, reply_to, &answer, ui, qid, offset + results).await
                }
                Err(_) => send_html(&bot, chat, reply_to, ui.internal_error, None).await,
            }
        }
        ("c", Some(qid), None) => {
            let Some((question, _)) = state.recall(qid) else {
                return send_html(&bot, chat, reply_to, ui.expired, None).await;
            };
            let Some(answer) = answer_of(&state, &question).await else {
                return send_html(&bot, chat, reply_to, ui.internal_error, None).await;
            };
            send_chart(&bot, chat, reply_to, &answer, ui).await
        }
        ("x", Some(n), None) => {
            let engine = state.engine();
            let Some(example) = examples(&engine, ui_lang(ui)).into_iter().nth(n as usize) else {
                return send_html(&bot, chat, reply_to, ui.expired, None).await;
            };
            ask(&bot, &state, chat, None, &example, ui).await
        }
        _ => send_html(&bot, chat, reply_to, ui.expired, None).await,
    }
}

async fn send_chart<B: Client>(
    bot: &B,
    chat: ChatId,
    reply_to: Option<MessageId>,
    answer: &Answer,
    ui: &Texts,
) -> HandlerResult {
    let png = match crate::chart::render_png(answer) {
        Ok(p) => p,
        Err(e) => {
            log::info!("no chart: {e}");
            return send_html(bot, chat, reply_to, ui.no_chart, None).await;
        }
    };
    let caption = crate::chart::caption(answer);
    let mut req = bot
        .send_photo(chat, InputFile::memory(png).file_name("chart.png"))
        .caption(render::escape_html(&caption))
        .parse_mode(ParseMode::Html);
    if let Some(id) = reply_to {
        req = req.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    send(req).await.map(|_| ())
}

pub async fn on_inline<B: Client>(bot: B, q: InlineQuery, state: Arc<State>) -> HandlerResult {
    let lang = texts::lang_for(q.from.language_code.as_deref());
    let ui = texts::texts(lang);
    if !state.allowed(q.from.id.0 as i64, Some(q.from.id.0)) {
        send(bot.answer_inline_query(q.id.clone(), Vec::<InlineQueryResult>::new())).await?;
        return Ok(());
    }
    if let Admission::SlowDown | Admission::Silent = state.admit(q.from.id.0) {
        send(
            bot.answer_inline_query(q.id.clone(), Vec::<InlineQueryResult>::new())
                .cache_time(5),
        )
        .await?;
        return Ok(());
    }
    let query = q.query.trim().to_string();
    let engine = state.engine();
    let results: Vec<InlineQueryResult> =
        tokio::task::spawn_blocking(move || inline_results(&engine, &query, lang, ui))
            .await
            .unwrap_or_default();
    send(
        bot.answer_inline_query(q.id.clone(), results)
            .cache_time(30),
    )
    .await?;
    Ok(())
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
            let more = engine.more(query, 0);
            for (i, s) in more.sources.iter().take(4).enumerate() {
                out.push(article(
                    format!("p{i}"),
                    &s.title,
                    &s.snippet,
                    render::telegram_passage(s, answer.lang),
                ));
            }
        }
        AnswerKind::Passage => {
            for (i, s) in answer.sources.iter().take(5).enumerate() {
                out.push(article(
                    format!("p{i}"),
                    &s.title,
                    &s.snippet,
                    render::telegram_passage(s, answer.lang),
                ));
            }
        }
        AnswerKind::None => {
            let text = answer.text();
            out.push(article("n0".into(), &text, "", first_message(&answer)));
        }
    }
    out.truncate(5);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::Seconds;

    #[test]
    fn only_failures_a_retry_can_fix_are_retried() {
        let wait = |e: RequestError| retry_delay(&e, 1);
        assert_eq!(
            wait(RequestError::RetryAfter(Seconds::from_seconds(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            wait(RequestError::RetryAfter(Seconds::from_seconds(3600))),
            None,
            "an hour's flood wait gives the update up"
        );
        assert!(wait(RequestError::Api(ApiError::Unknown(
            "Internal Server Error".into()
        )))
        .is_some());
        assert!(wait(RequestError::Api(ApiError::Unknown("Bad Gateway".into()))).is_some());
        let bad_json = serde_json::from_str::<serde_json::Value>("<html>502").unwrap_err();
        assert!(wait(RequestError::InvalidJson {
            source: Arc::new(bad_json),
            raw: "<html>502".into(),
        })
        .is_some());
        // The request itself is wrong, or the user is gone: trying again cannot help.
        assert_eq!(wait(RequestError::Api(ApiError::BotBlocked)), None);
        assert_eq!(
            wait(RequestError::Api(ApiError::Unknown(
                "Bad Request: can't parse entities".into()
            ))),
            None
        );
        // Backoff grows with the attempt.
        let e = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert!(retry_delay(&e, 3) > retry_delay(&e, 1));
    }
}
