//! Webhook mode: registers the webhook with Telegram and serves it. Every request must
//! carry the secret (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time; 401
//! otherwise). A body that is not an update is answered 200 (Telegram would only send it
//! again) and logged by its size, never its content.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use futures::Stream;
use teloxide::prelude::*;
use teloxide::types::Update;
use teloxide::update_listeners::webhooks;
use tokio::sync::{mpsc, oneshot};

use super::{redact, BotError, Client, Token};
use crate::config::TelegramConfig;

/// Updates received but not yet taken by the update loop; when it is behind, requests
/// wait, and Telegram sends more slowly.
const BACKLOG: usize = 1024;

#[derive(Clone)]
struct Hook {
    secret: String,
    updates: mpsc::Sender<Update>,
}

/// A running webhook: the updates it receives, and how to stop it.
pub struct Listener {
    pub updates: mpsc::Receiver<Update>,
    pub stop: oneshot::Sender<()>,
}

impl Listener {
    pub fn into_parts(self) -> (impl Stream<Item = Update>, impl FnOnce()) {
        let mut updates = self.updates;
        let stream = futures::stream::poll_fn(move |cx| updates.poll_recv(cx));
        let stop = self.stop;
        (stream, move || {
            let _ = stop.send(());
        })
    }
}

/// Binds `telegram.listen`, tells Telegram the URL and secret, and serves.
pub async fn listen<B: Client>(
    bot: &B,
    t: &TelegramConfig,
    token: &Token,
) -> Result<Listener, BotError> {
    let url = t
        .webhook_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .ok_or(BotError::WebhookConfig)?;
    let addr: SocketAddr = t.listen.parse().map_err(|_| BotError::WebhookConfig)?;
    let mut options = webhooks::Options::new(addr, url.clone());
    if let Ok(secret) = std::env::var(&t.webhook_secret_env) {
        options = options.secret_token(secret);
    }
    let secret = options.get_or_gen_secret_token().to_string();
    let socket = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| BotError::Webhook(e.to_string()))?;
    bot.set_webhook(url.clone())
        .secret_token(secret.clone())
        .await
        .map_err(|e| BotError::Webhook(redact(&e.to_string(), token)))?;
    let (tx, rx) = mpsc::channel(BACKLOG);
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    let app = Router::new().route(path, post(receive)).with_state(Hook {
        secret,
        updates: tx,
    });
    tokio::spawn(async move {
        let served = axum::serve(socket, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await;
        if let Err(e) = served {
            log::error!("the webhook server stopped: {e}");
        }
    });
    log::info!("webhook set; listening on {addr}");
    Ok(Listener {
        updates: rx,
        stop: stop_tx,
    })
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, hook.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    match serde_json::from_slice::<Update>(&body) {
        Ok(update) => {
            if hook.updates.send(update).await.is_err() {
                // The bot is stopping: let Telegram send it again later.
                return StatusCode::SERVICE_UNAVAILABLE;
            }
        }
        Err(_) => log::warn!(
            "a webhook request that is not an update ({} bytes); ignored",
            body.len()
        ),
    }
    StatusCode::OK
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cres", b"s3cret"));
        assert!(!same_secret(b"s3cre", b"s3cret"));
        assert!(!same_secret(b"", b"s3cret"));
    }
}
