//! Sending to Telegram: HTML messages that reply where they should, and requests tried
//! again when a later attempt can succeed.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::requests::{Output, Payload};
use teloxide::types::{InlineKeyboardMarkup, LinkPreviewOptions, ParseMode, ReplyParameters};
use teloxide::{ApiError, RequestError};

use super::gate::Reply;
use super::Client;

pub type HandlerResult = Result<(), RequestError>;

/// Telegram's limit is 4,096 characters; stay a little under it.
pub const MESSAGE_LIMIT: usize = 4000;

/// Sends `text` (Telegram HTML) where `reply` says, with buttons if given.
pub async fn send_html<B: Client>(
    bot: &B,
    reply: Reply,
    text: &str,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    let mut req = bot
        .send_message(reply.chat, text)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    if let Some(id) = reply.to {
        req = req.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    if let Some(kb) = markup {
        req = req.reply_markup(kb);
    }
    send(req).await.map(|_| ())
}

/// A request error for the log: the Bot API's own words, without a body it could not read
/// (which may quote a user's message).
pub fn describe(e: &RequestError) -> String {
    match e {
        RequestError::InvalidJson { raw, .. } => {
            format!("an answer that is not Bot API JSON ({} bytes)", raw.len())
        }
        other => other.to_string(),
    }
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
pub async fn send<Q>(req: Q) -> Result<Output<Q>, RequestError>
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
            wait.as_millis(),
            err = describe(&err)
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

pub fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
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
