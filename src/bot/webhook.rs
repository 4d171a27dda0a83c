//! Webhook mode, safe to run as several copies behind a load balancer. Every copy needs the
//! same secret (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time; 401
//! otherwise). A copy binds its address first, then registers the webhook only when
//! Telegram's `getWebhookInfo` shows other settings, so starting a copy does not disturb
//! the others, and stopping one leaves the webhook in place unless configured otherwise.
//! `GET /healthz` tells a load balancer the copy is serving and which index generation it
//! answers from. A body that is not an update is answered 200 (Telegram would only send
//! it again) and logged by its size, never its content.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::Stream;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Update, WebhookInfo};
use tokio::sync::{mpsc, oneshot};

use super::state::State;
use super::{redact, send, BotError, Client, Token};
use crate::config::{TelegramConfig, HEALTH_PATH};

/// Updates received but not yet taken by the update loop; when it is behind, requests
/// wait, and Telegram sends more slowly.
const BACKLOG: usize = 1024;

/// The update kinds the bot reads; Telegram sends no others.
const ALLOWED_UPDATES: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::InlineQuery,
];

/// The query parameter of the registered URL that identifies the secret (see
/// [`Settings::registered_url`]).
const SECRET_ID_PARAM: &str = "secret_id";

/// Telegram's rule for a webhook secret.
const SECRET_RULE: &str =
    "1 to 256 characters from A-Z, a-z, 0-9, _ and - (for example the output of `openssl rand -hex 32`)";

/// The webhook's settings, checked before the bot starts.
pub struct Settings {
    /// The public URL, as configured.
    pub url: url::Url,
    pub listen: SocketAddr,
    secret: String,
    pub delete_on_stop: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("url", &self.url.as_str())
            .field("listen", &self.listen)
            .field("secret", &"[redacted]")
            .finish()
    }
}

impl Settings {
    /// Reads the secret from the environment variable the config names and checks the
    /// addresses. `official_api`: updates come from Telegram itself, which posts only to
    /// https URLs on ports 443, 80, 88 and 8443 (a local Bot API server has no such rule).
    pub fn from_env(t: &TelegramConfig, official_api: bool) -> Result<Settings, BotError> {
        let url = t.webhook_url().map_err(BotError::Setup)?;
        let listen = t.listen_addr().map_err(BotError::Setup)?;
        if official_api {
            check_official_url(&url).map_err(BotError::Setup)?;
        }
        let secret = std::env::var(&t.webhook_secret_env).unwrap_or_default();
        let secret = check_secret(secret.trim())
            .map_err(|why| BotError::Setup(format!("{} {why}", t.webhook_secret_env)))?;
        Ok(Settings {
            url,
            listen,
            secret: secret.to_string(),
            delete_on_stop: t.delete_webhook_on_stop,
        })
    }

    /// The URL given to Telegram: the configured one with a fingerprint of the secret
    /// (an HMAC keyed by the bot token, so it tells nothing about the secret). Telegram's
    /// `getWebhookInfo` shows the URL but never the secret; with the fingerprint in the
    /// URL, a copy started with a new secret sees that the registration differs.
    fn registered_url(&self, token: &Token) -> url::Url {
        let mut url = self.url.clone();
        url.query_pairs_mut()
            .append_pair(SECRET_ID_PARAM, &secret_id(&self.secret, token));
        url
    }
}

/// Whether `secret` is one Telegram accepts; the error completes "<VARIABLE> ...".
fn check_secret(secret: &str) -> Result<&str, String> {
    if secret.is_empty() {
        return Err(format!(
            "is not set or empty: webhook mode needs a secret shared by every copy of the bot, {SECRET_RULE}"
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if secret.len() > 256 || !secret.chars().all(allowed) {
        return Err(format!(
            "holds a secret Telegram does not accept: use {SECRET_RULE}"
        ));
    }
    Ok(secret)
}

/// Telegram's own rules for a webhook URL.
fn check_official_url(url: &url::Url) -> Result<(), String> {
    const PORTS: [u16; 4] = [443, 80, 88, 8443];
    if url.scheme() != "https" {
        return Err(format!(
            "telegram.webhook_url must be https: Telegram posts only to https URLs (put a TLS proxy in front of telegram.listen), not {}",
            url.as_str()
        ));
    }
    let port = url.port_or_known_default().unwrap_or(443);
    if !PORTS.contains(&port) {
        return Err(format!(
            "telegram.webhook_url uses port {port}: Telegram posts only to ports 443, 80, 88 and 8443"
        ));
    }
    Ok(())
}

/// 16 hex digits of HMAC-SHA256(token, secret).
fn secret_id(secret: &str, token: &Token) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, token.expose().as_bytes());
    let tag = ring::hmac::sign(&key, secret.as_bytes());
    tag.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether Telegram's registration differs from what this copy wants.
fn needs_registration(info: &WebhookInfo, url: &url::Url) -> bool {
    if info.url.as_ref().map(url::Url::as_str) != Some(url.as_str()) {
        return true;
    }
    let mut have: Vec<String> = info
        .allowed_updates
        .iter()
        .flatten()
        .map(|u| format!("{u:?}"))
        .collect();
    let mut want: Vec<String> = ALLOWED_UPDATES.iter().map(|u| format!("{u:?}")).collect();
    have.sort();
    want.sort();
    have != want
}

#[derive(Clone)]
struct Hook {
    secret: String,
    updates: mpsc::Sender<Update>,
    state: Arc<State>,
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

/// Binds the listen address: the first thing the bot does in webhook mode, so that a port
/// in use stops it before Telegram is told anything.
pub async fn bind(settings: &Settings) -> Result<tokio::net::TcpListener, BotError> {
    tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| BotError::Listen(settings.listen, e.to_string()))
}

/// Registers the webhook if Telegram's registration differs, and serves on `socket`.
pub async fn listen<B: Client>(
    bot: &B,
    settings: &Settings,
    socket: tokio::net::TcpListener,
    state: Arc<State>,
    token: &Token,
) -> Result<Listener, BotError> {
    let addr = settings.listen;
    register(bot, settings, token).await?;
    let (tx, rx) = mpsc::channel(BACKLOG);
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let path = match settings.url.path() {
        "" => "/",
        p => p,
    };
    let app = Router::new()
        .route(path, post(receive))
        .route(HEALTH_PATH, get(health))
        .with_state(Hook {
            secret: settings.secret.clone(),
            updates: tx,
            state,
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
    log::info!("listening for webhook requests on {addr} (path {path}, health {HEALTH_PATH})");
    Ok(Listener {
        updates: rx,
        stop: stop_tx,
    })
}

/// Registers the webhook unless Telegram already has these settings (another copy, or an
/// earlier start, registered them).
async fn register<B: Client>(bot: &B, settings: &Settings, token: &Token) -> Result<(), BotError> {
    let url = settings.registered_url(token);
    match bot.get_webhook_info().await {
        Ok(info) => {
            report_delivery_errors(&info);
            if !needs_registration(&info, &url) {
                log::info!(
                    "webhook already registered for {} with this secret; not registering again",
                    settings.url
                );
                return Ok(());
            }
        }
        Err(e) => log::warn!(
            "cannot read the webhook registration ({}); registering it",
            redact(&send::describe(&e), token)
        ),
    }
    bot.set_webhook(url)
        .secret_token(settings.secret.clone())
        .allowed_updates(ALLOWED_UPDATES)
        .await
        .map_err(|e| BotError::SetWebhook(redact(&send::describe(&e), token)))?;
    log::info!("webhook registered for {}", settings.url);
    Ok(())
}

/// Telegram says when it last failed to deliver; an operator wants to know at start.
fn report_delivery_errors(info: &WebhookInfo) {
    if let Some(message) = &info.last_error_message {
        let when = info
            .last_error_date
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "an unknown time".into());
        log::warn!("Telegram's last webhook delivery failed at {when}: {message}");
    }
    if info.pending_update_count > 0 {
        log::info!(
            "{} updates are waiting at Telegram",
            info.pending_update_count
        );
    }
}

/// Removes the webhook (when configured to, at stop).
pub async fn unregister<B: Client>(bot: &B, token: &Token) {
    match bot.delete_webhook().await {
        Ok(_) => log::info!("webhook deleted (telegram.delete_webhook_on_stop)"),
        Err(e) => log::warn!(
            "could not delete the webhook: {}",
            redact(&send::describe(&e), token)
        ),
    }
}

async fn receive(AxumState(hook): AxumState<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
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

/// 200 with the generation in service: the index is open, updates are answered.
async fn health(AxumState(hook): AxumState<Hook>) -> (StatusCode, Json<serde_json::Value>) {
    (StatusCode::OK, Json(hook.state.health()))
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

    const T: &str = "123456789:AAEabcdefghijklmnopqrstuvwxyz012345";

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cres", b"s3cret"));
        assert!(!same_secret(b"s3cre", b"s3cret"));
        assert!(!same_secret(b"", b"s3cret"));
    }

    /// Issue 15: such secrets panicked inside teloxide (exit code 101).
    #[test]
    fn secrets_telegram_rejects_are_refused_with_the_rule() {
        let long = "a".repeat(257);
        for bad in [
            "",
            "my webhook secret!",
            "abc+/def==",
            "ключ",
            long.as_str(),
        ] {
            let e = check_secret(bad).unwrap_err();
            assert!(e.contains("A-Z, a-z, 0-9, _ and -"), "{bad:?}: {e}");
        }
        let longest = "f".repeat(256);
        for good in ["a", "s3cret-webhook", "A_b-9", longest.as_str()] {
            assert_eq!(check_secret(good), Ok(good));
        }
    }

    #[test]
    fn telegram_posts_only_to_https_on_four_ports() {
        let ok = |u: &str| check_official_url(&url::Url::parse(u).unwrap());
        assert!(ok("https://bot.example.org/telegram").is_ok());
        assert!(ok("https://bot.example.org:8443/telegram").is_ok());
        assert!(ok("https://bot.example.org:88/t").is_ok());
        assert!(ok("http://bot.example.org/telegram")
            .unwrap_err()
            .contains("https"));
        assert!(ok("https://bot.example.org:8081/telegram")
            .unwrap_err()
            .contains("443, 80, 88 and 8443"));
    }

    #[test]
    fn the_registered_url_identifies_the_secret_without_showing_it() {
        let token = Token::parse(T).unwrap();
        let settings = |secret: &str| Settings {
            url: url::Url::parse("https://bot.example.org/telegram").unwrap(),
            listen: "127.0.0.1:8081".parse().unwrap(),
            secret: secret.into(),
            delete_on_stop: false,
        };
        let a = settings("first-secret").registered_url(&token);
        assert_eq!(a, settings("first-secret").registered_url(&token));
        assert_ne!(a, settings("second-secret").registered_url(&token));
        assert_eq!(a.path(), "/telegram");
        assert!(!a.as_str().contains("first-secret"));
        assert!(!format!("{:?}", settings("first-secret")).contains("first-secret"));
    }

    fn info(url: Option<&str>, allowed: Option<Vec<AllowedUpdate>>) -> WebhookInfo {
        WebhookInfo {
            url: url.map(|u| u.parse().unwrap()),
            has_custom_certificate: false,
            pending_update_count: 0,
            ip_address: None,
            last_error_date: None,
            last_error_message: None,
            last_synchronization_error_date: None,
            max_connections: None,
            allowed_updates: allowed,
        }
    }

    #[test]
    fn registration_is_sent_only_when_telegram_has_other_settings() {
        let want = url::Url::parse("https://bot.example.org/telegram?secret_id=00ff").unwrap();
        let ours = Some(vec![
            AllowedUpdate::InlineQuery,
            AllowedUpdate::Message,
            AllowedUpdate::CallbackQuery,
        ]);
        assert!(!needs_registration(
            &info(Some(want.as_str()), ours.clone()),
            &want
        ));
        assert!(needs_registration(&info(None, None), &want));
        assert!(needs_registration(
            &info(
                Some("https://bot.example.org/telegram?secret_id=0000"),
                ours
            ),
            &want
        ));
        assert!(needs_registration(
            &info(Some(want.as_str()), Some(vec![AllowedUpdate::Message])),
            &want
        ));
    }
}
