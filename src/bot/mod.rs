//! The Telegram bot: a thin adapter that turns updates into questions for the
//! [`Engine`] and answers into Telegram HTML messages, buttons and inline results. It
//! never touches tantivy; it owns addressing (private chats, groups, mentions, replies),
//! limits (Telegram's, a per-user rate and a group's share), access lists, `/reindex`,
//! and the token.

mod addressing;
pub mod callback;
mod dispatch;
mod gate;
mod handlers;
mod inline;
mod limits;
mod send;
mod state;
pub mod texts;
mod webhook;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use teloxide::adaptors::throttle::{Limits as ThrottleLimits, Settings};
use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};
use teloxide::RequestError;

use crate::config::Config;
use crate::engine::Engine;
pub use state::State;

/// What the handlers need from a Bot API client. Two clients qualify: teloxide's plain
/// `Bot` (with `telegram.throttle = false`: every request goes out at once) and
/// `Throttle<Bot>` (Telegram's limits; its worker wakes every 250 ms, which is the
/// latency floor of a throttled answer). teloxide's type-erased client is not `Send`, so
/// the handlers are generic over this trait instead.
pub trait Client:
    Requester<
        Err = RequestError,
        GetMe: Send + Sync,
        SetMyCommands: Send + Sync,
        GetUpdates: Send + Sync,
        DeleteWebhook: Send + Sync,
        SendMessage: Send + Sync,
        SendPhoto: Send + Sync,
        AnswerCallbackQuery: Send + Sync,
        AnswerInlineQuery: Send + Sync,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> Client for T where
    T: Requester<
            Err = RequestError,
            GetMe: Send + Sync,
            SetMyCommands: Send + Sync,
            GetUpdates: Send + Sync,
            DeleteWebhook: Send + Sync,
            SendMessage: Send + Sync,
            SendPhoto: Send + Sync,
            AnswerCallbackQuery: Send + Sync,
            AnswerInlineQuery: Send + Sync,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

/// What can stop the bot from starting.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(
        "set TELOXIDE_TOKEN to the token @BotFather gave your bot (it looks like 123456789:AAE...)"
    )]
    MissingToken,
    #[error("TELOXIDE_TOKEN is not a bot token: it should look like 123456789:AAE... (digits, a colon, then 30 or more letters, digits, '_' or '-')")]
    MalformedToken,
    #[error("the Bot API URL {0:?} is not a valid URL")]
    BadApiUrl(String),
    #[error("telegram.mode must be \"polling\" or \"webhook\", not {0:?}")]
    BadMode(String),
    #[error("webhook mode needs telegram.webhook_url (a public https URL) and a valid telegram.listen address")]
    WebhookConfig,
    #[error("cannot reach the Bot API to identify the bot: {0}")]
    GetMe(String),
    #[error("cannot start the webhook listener: {0}")]
    Webhook(String),
}

/// A bot token read from the environment. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Reads and checks `TELOXIDE_TOKEN`.
    pub fn from_env() -> Result<Token, BotError> {
        match std::env::var("TELOXIDE_TOKEN") {
            Err(_) => Err(BotError::MissingToken),
            Ok(t) if t.trim().is_empty() => Err(BotError::MissingToken),
            Ok(t) => Token::parse(t.trim()),
        }
    }

    pub fn parse(t: &str) -> Result<Token, BotError> {
        let (id, secret) = t.split_once(':').ok_or(BotError::MalformedToken)?;
        let id_ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_digit());
        let secret_ok = secret.len() >= 30
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if id_ok && secret_ok {
            Ok(Token(t.to_string()))
        } else {
            Err(BotError::MalformedToken)
        }
    }

    /// The secret itself, for the few places that must have it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// Where the Bot API lives: `TELOXIDE_API_URL`, else `telegram.api_url`, else Telegram's.
pub fn api_url(config: &Config) -> Result<Option<reqwest_url::Url>, BotError> {
    let raw = std::env::var("TELOXIDE_API_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| config.telegram.api_url.clone());
    match raw {
        None => Ok(None),
        Some(u) => reqwest_url::Url::parse(u.trim())
            .map(Some)
            .map_err(|_| BotError::BadApiUrl(u)),
    }
}

/// The URL type teloxide's `set_api_url` takes.
mod reqwest_url {
    pub use url::Url;
}

/// Builds the plain bot client for a token and config (the API URL).
pub fn plain_client(token: &Token, config: &Config) -> Result<Bot, BotError> {
    let mut bot = Bot::new(token.expose());
    if let Some(url) = api_url(config)? {
        bot = bot.set_api_url(url);
    }
    Ok(bot)
}

/// Serves Telegram until SIGINT or SIGTERM. Updates already received are answered before
/// it returns. With `telegram.throttle` on, requests go through teloxide's `Throttle`
/// (Telegram's limits, with the group limits of the config; it waits out 429
/// `retry_after` itself); with it off, through the plain client, and the handlers wait
/// out a 429 themselves. Either way the limits of [`limits`] are counted on arrival.
pub async fn run(engine: Engine, config: Config, token: Token) -> Result<(), BotError> {
    let mode = config.telegram.mode.clone();
    if mode != "polling" && mode != "webhook" {
        return Err(BotError::BadMode(mode));
    }
    keep_user_text_out_of_panic_messages();
    let bot = plain_client(&token, &config)?;
    if config.telegram.throttle {
        let limits = throttle_limits(&config.telegram);
        let throttled = Throttle::spawn_with_settings(bot, Settings::default().limits(limits));
        serve(throttled, engine, config, token).await
    } else {
        serve(bot, engine, config, token).await
    }
}

/// Telegram's limits as `Throttle` applies them: one message a second in a chat, 30 a
/// second overall, and the configured messages a minute in a group (`Throttle` applies
/// that to private chats too) and in a supergroup.
fn throttle_limits(t: &crate::config::TelegramConfig) -> ThrottleLimits {
    ThrottleLimits {
        messages_per_sec_chat: 1,
        messages_per_min_chat: t.group_messages_per_minute.max(1),
        messages_per_min_channel_or_supergroup: t.supergroup_messages_per_minute.max(1),
        messages_per_sec_overall: 30,
    }
}

/// A panic's message may quote what it was working on (a user's text): the log gets only
/// where it happened. The update loop contains panics per update and says which.
fn keep_user_text_out_of_panic_messages() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        log::error!("internal error (a panic) at {at}; its message is not logged, as it may quote a user's text");
    }));
}

async fn serve<B: Client>(
    bot: B,
    engine: Engine,
    config: Config,
    token: Token,
) -> Result<(), BotError> {
    let mode = config.telegram.mode.clone();
    let me = bot
        .get_me()
        .await
        .map_err(|e| BotError::GetMe(redact(&e.to_string(), &token)))?;
    let username = me.username().to_string();
    log::info!(
        "started as @{username} in {mode} mode over {} documents ({} passages, {} facts), throttle {}",
        engine.documents().len(),
        engine.passage_count(),
        engine.facts().len(),
        if config.telegram.throttle { "on" } else { "off" },
    );
    if let Err(e) = bot.set_my_commands(handlers::command_list()).await {
        log::warn!(
            "could not register the command list: {}",
            redact(&send::describe(&e), &token)
        );
    }
    let state = Arc::new(State::new(engine, config.clone(), username, me.id));

    if mode == "webhook" {
        let listener = webhook::listen(&bot, &config.telegram, &token).await?;
        let (updates, stop) = listener.into_parts();
        dispatch::serve(bot, state, updates, stop_signal(), stop).await;
    } else {
        // The long-poll timeout must stay under the HTTP client's own (17 s in teloxide).
        let mut listener = Polling::builder(bot.clone())
            .timeout(Duration::from_secs(10))
            .delete_webhook()
            .await
            .build();
        let stop: StopToken = listener.stop_token();
        let updates = listener.as_stream().filter_map(|update| async move {
            match update {
                Ok(u) => Some(u),
                Err(e) => {
                    log::warn!("getting updates failed: {}", send::describe(&e));
                    None
                }
            }
        });
        dispatch::serve(bot, state, updates, stop_signal(), move || stop.stop()).await;
    }
    log::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (a service manager).
async fn stop_signal() {
    tokio::select! {
        r = tokio::signal::ctrl_c() => match r {
            Ok(()) => log::info!("SIGINT received; finishing the updates in hand"),
            Err(e) => {
                log::warn!("cannot listen for SIGINT: {e}");
                std::future::pending::<()>().await;
            }
        },
        () = wait_for_sigterm() => log::info!("SIGTERM received; finishing the updates in hand"),
    }
}

#[cfg(unix)]
async fn wait_for_sigterm() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(e) => {
            log::warn!("cannot listen for SIGTERM: {e}");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_sigterm() {
    std::future::pending::<()>().await;
}

/// Removes the token (whole, and its secret half) from a message.
pub fn redact(message: &str, token: &Token) -> String {
    let mut m = message.replace(token.expose(), "[token]");
    if let Some((_, secret)) = token.expose().split_once(':') {
        if !secret.is_empty() {
            m = m.replace(secret, "[token]");
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "123456789:AAEabcdefghijklmnopqrstuvwxyz012345";

    /// Issue 11, point 10: supergroups got teloxide's default of 10 messages a minute
    /// while the documentation said 20.
    #[test]
    fn throttle_applies_the_configured_group_limits() {
        let mut t = crate::config::TelegramConfig::default();
        let limits = throttle_limits(&t);
        assert_eq!(limits.messages_per_min_channel_or_supergroup, 20);
        assert_eq!(limits.messages_per_min_chat, 20);
        assert_eq!(limits.messages_per_sec_chat, 1);
        assert_eq!(limits.messages_per_sec_overall, 30);
        t.group_messages_per_minute = 15;
        t.supergroup_messages_per_minute = 12;
        let limits = throttle_limits(&t);
        assert_eq!(limits.messages_per_min_chat, 15);
        assert_eq!(limits.messages_per_min_channel_or_supergroup, 12);
    }

    #[test]
    fn token_is_checked_and_never_shown() {
        let t = Token::parse(T).expect("valid");
        assert!(!format!("{t:?}").contains("AAE"));
        assert!(Token::parse("123:short").is_err());
        assert!(Token::parse("abc:AAEabcdefghijklmnopqrstuvwxyz012345").is_err());
        assert!(Token::parse("no colon").is_err());
        assert_eq!(
            redact(&format!("GET /bot{T}/getMe failed"), &t),
            "GET /bot[token]/getMe failed"
        );
    }
}
