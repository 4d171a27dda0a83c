//! A fake Telegram Bot API server for integration tests.
//!
//! Telegram cannot be reached from the test machines, so the tests start this server on
//! `127.0.0.1:0` and run the real `factbot` binary with `TELOXIDE_API_URL` pointing at
//! [`FakeTelegram::url`]. The server speaks just enough of the Bot API for teloxide 0.17
//! (teloxide-core 0.13): every answer it gives deserializes into teloxide's own types
//! (`Me`, `Message`, `Update`, `WebhookInfo`, `True`), which the self-tests at the bottom
//! of this file check with a real `teloxide::Bot`.
//!
//! # What it understands
//!
//! * Requests are `POST` (or `GET`) `/{anything}/bot{TOKEN}/{MethodName}`. The method name is
//!   matched case-insensitively (teloxide sends the Rust type name, e.g. `GetUpdates`,
//!   `SendMessage`, `EditMessageText`; the Bot API docs say `getUpdates`), and is recorded in
//!   its documented lowerCamelCase spelling (`sendMessage`).
//! * Bodies: JSON (what teloxide sends for everything but file uploads),
//!   `multipart/form-data` (`sendPhoto` with an uploaded file),
//!   `application/x-www-form-urlencoded`, and query-string parameters (handy with `curl`).
//!   Parameters given as text (multipart, form, query) are turned back into JSON so that a
//!   recorded call looks the same whichever way it came: the fields that the Bot API defines as
//!   JSON-serialized (`reply_markup`, `reply_parameters`, `entities`, `caption_entities`,
//!   `link_preview_options`, `commands`, `scope`, `results`, `allowed_updates`, ...) are
//!   parsed, the id/number fields (`chat_id`, `message_id`, `offset`, ...) become numbers, the
//!   known flags become booleans, everything else stays a string.
//! * Uploaded files: teloxide does *not* send the photo in a part called `photo`; it sends a
//!   text field `photo=attach://<uuid>` plus a file part named `<uuid>`. Both that and a
//!   file part named `photo` are accepted; the recorded call then has `"photo_bytes": <len>`
//!   (and no `photo` field). A `photo` given as a file id or URL string is kept as is, and
//!   the recorded `sendPhoto` call then has `"photo_bytes": 0`.
//! * Unknown methods get a fast `400 {"ok":false,"error_code":400,"description":"Bad Request:
//!   method not found"}`: never a 5xx, since teloxide sleeps 10 s after any 5xx.
//!
//! # Recording
//!
//! [`FakeTelegram::calls`] lists every call that was *answered normally*, in arrival order,
//! including `getUpdates` polls, calls to unknown methods (which were answered with 400) and
//! calls whose body could not be parsed (answered with 400, recorded as
//! `{"__unparsable": "<why>"}`).
//! Calls that were failed on purpose by [`FakeTelegram::fail_with_429`],
//! [`FakeTelegram::fail_with_500`] or [`FakeTelegram::drop_connection`] are not in it (so
//! `wait_for("sendMessage", 1, ..)` after a 429 waits for the successful retry); they are
//! listed by [`FakeTelegram::failed_calls`]. Calls slowed down by [`FakeTelegram::delay`]
//! are answered normally (late) and recorded when answered.
//!
//! # Faults
//!
//! Besides 429 and 500 answers, the fake can close a connection without answering
//! ([`FakeTelegram::drop_connection`]), answer late ([`FakeTelegram::delay`]) and deliver an
//! update again ([`FakeTelegram::redeliver`]), as Telegram does when it did not get the
//! bot's confirmation.
//!
//! # Ids
//!
//! Update ids are per server and start at 1. Message ids (of messages in built updates and of
//! messages "sent" by the bot) come from one process-wide counter, so they never repeat.
//! The bot's own user id is [`BOT_ID`] (4242).
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Map, Value};

/// The user id of the fake bot (what `getMe` returns and what sent messages are `from`).
pub const BOT_ID: i64 = 4242;
/// The first name of the fake bot.
pub const BOT_FIRST_NAME: &str = "FactBot";
/// The username used for the bot's own message in [`callback_query`] (which is not given a
/// bot username) when no server has been started yet; once one has, the username given to
/// the most recent [`FakeTelegram::start`] is used.
pub const DEFAULT_BOT_USERNAME: &str = "factbot_test_bot";
/// The username given to the most recent [`FakeTelegram::start`] (empty before the first).
static LAST_BOT_USERNAME: Mutex<String> = Mutex::new(String::new());
/// The longest a `getUpdates` long poll is held open, whatever `timeout` the bot asks for,
/// so that a bot shuts down quickly.
pub const MAX_LONG_POLL: Duration = Duration::from_secs(1);

/// Process-wide message id counter: ids of user messages in built updates and of messages
/// "sent" by the bot are all distinct.
static NEXT_MESSAGE_ID: AtomicI64 = AtomicI64::new(1000);
/// Process-wide counter for inline query and callback query ids.
static NEXT_QUERY_ID: AtomicI64 = AtomicI64::new(1);

fn next_message_id() -> i64 {
    NEXT_MESSAGE_ID.fetch_add(1, Ordering::SeqCst)
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The Bot API methods this fake knows, in their documented spelling.
const KNOWN_METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "sendMessage",
    "sendPhoto",
    "editMessageText",
    "answerInlineQuery",
    "answerCallbackQuery",
    "setMyCommands",
    "deleteMyCommands",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "sendChatAction",
    "close",
    "logOut",
];

/// Maps a method name in any letter case to the documented lowerCamelCase spelling; unknown
/// names just get their first letter lowered.
fn canonical_method(name: &str) -> String {
    if let Some(known) = KNOWN_METHODS.iter().find(|m| m.eq_ignore_ascii_case(name)) {
        return (*known).to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Clone, Copy, Debug)]
enum FailKind {
    TooManyRequests {
        retry_after: u32,
    },
    ServerError,
    /// Close the connection without an answer.
    Drop,
    /// Answer normally, after this long.
    Slow(Duration),
}

#[derive(Debug)]
struct FailRule {
    /// Lowercase method name, or "*".
    method: String,
    remaining: usize,
    kind: FailKind,
}

/// An update waiting in the queue.
struct Queued {
    id: i64,
    json: Value,
    /// Returned by some `getUpdates` already (but not yet confirmed).
    delivered: bool,
}

struct Inner {
    bot_username: String,
    next_update_id: i64,
    /// Updates not yet confirmed by an `offset`, in update_id order.
    updates: VecDeque<Queued>,
    calls: Vec<(String, Value)>,
    /// When each of `calls` was answered.
    call_times: Vec<Instant>,
    /// How many of `calls` each method has (lowercase name), so waiting is cheap.
    counts: HashMap<String, usize>,
    failed: Vec<(String, Value)>,
    rules: Vec<FailRule>,
    /// Every update pushed, by id (for [`FakeTelegram::redeliver`]).
    history: HashMap<i64, Value>,
    /// Copies of already delivered updates that open the next `getUpdates` answer.
    replays: VecDeque<Value>,
    /// How many replayed updates were actually sent.
    replayed: usize,
}

struct Shared {
    inner: Mutex<Inner>,
    /// Signalled whenever a call is recorded (for [`FakeTelegram::wait_for`]).
    recorded: Condvar,
    /// Bumped whenever an update is pushed (wakes long polls).
    pushed: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking test thread must not make every later call panic too.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Stops the server when the last clone of the [`FakeTelegram`] handle is dropped.
struct ShutdownOnDrop(Mutex<Option<tokio::sync::oneshot::Sender<()>>>);

impl Drop for ShutdownOnDrop {
    fn drop(&mut self) {
        if let Some(tx) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = tx.send(());
        }
    }
}

/// A running fake Bot API server. Cheap to clone: clones share the same server and state.
/// The server stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
    _shutdown: Arc<ShutdownOnDrop>,
}

impl FakeTelegram {
    /// Starts the server on 127.0.0.1:0 in a background thread with its own tokio runtime.
    ///
    /// `bot_username` is what `getMe` reports (and what the bot's own messages carry).
    /// The port is bound before this returns, so [`FakeTelegram::url`] is usable at once.
    pub fn start(bot_username: &str) -> FakeTelegram {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("set_nonblocking");
        let addr = listener.local_addr().expect("local_addr");
        let (pushed, _) = tokio::sync::watch::channel(0u64);
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                bot_username: bot_username.to_string(),
                next_update_id: 1,
                updates: VecDeque::new(),
                calls: Vec::new(),
                call_times: Vec::new(),
                counts: HashMap::new(),
                failed: Vec::new(),
                rules: Vec::new(),
                history: HashMap::new(),
                replays: VecDeque::new(),
                replayed: 0,
            }),
            recorded: Condvar::new(),
            pushed,
        });
        *LAST_BOT_USERNAME.lock().unwrap_or_else(|e| e.into_inner()) = bot_username.to_string();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
        let state = shared.clone();
        std::thread::Builder::new()
            .name(format!("fake-telegram-{}", addr.port()))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("fake telegram runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let app = Router::new()
                        .fallback(handle)
                        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
                        .with_state(state);
                    let _ = ready_tx.send(());
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = stop_rx.await;
                        })
                        .await;
                });
                // Do not wait for lingering keep-alive connections of a dead bot.
                rt.shutdown_timeout(Duration::from_millis(100));
            })
            .expect("spawn fake telegram thread");
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("fake telegram did not start");
        FakeTelegram {
            shared,
            addr,
            _shutdown: Arc::new(ShutdownOnDrop(Mutex::new(Some(stop_tx)))),
        }
    }

    /// Base URL to give the bot as TELOXIDE_API_URL, e.g. "http://127.0.0.1:41234".
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bot username this server was started with.
    pub fn bot_username(&self) -> String {
        self.shared.lock().bot_username.clone()
    }

    /// Queues an update (raw Bot API Update JSON without "update_id"; the server assigns
    /// increasing update_ids) for the next getUpdates. Returns the assigned update_id.
    ///
    /// An `update_id` already present in `update` is overwritten.
    pub fn push_update(&self, update: Value) -> i64 {
        let mut update = match update {
            Value::Object(map) => map,
            other => panic!("push_update wants a JSON object, got {other}"),
        };
        let id = {
            let mut inner = self.shared.lock();
            let id = inner.next_update_id;
            inner.next_update_id += 1;
            update.insert("update_id".into(), json!(id));
            inner.history.insert(id, Value::Object(update.clone()));
            inner.updates.push_back(Queued {
                id,
                json: Value::Object(update),
                delivered: false,
            });
            id
        };
        self.shared.pushed.send_modify(|v| *v += 1);
        id
    }

    /// All calls received so far: (method name in lowerCamelCase as Telegram documents it,
    /// e.g. "sendMessage", parsed body as JSON; for multipart, a JSON object of the text
    /// fields plus "photo_bytes": <len of the file part>).
    ///
    /// Calls failed on purpose (429/500 injection) are not included; see
    /// [`FakeTelegram::failed_calls`].
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.shared.lock().calls.clone()
    }

    /// The calls that were answered with an injected 429 or 500, in arrival order.
    pub fn failed_calls(&self) -> Vec<(String, Value)> {
        self.shared.lock().failed.clone()
    }

    /// Blocks until `n` calls of `method` have arrived (or `timeout` passes); returns them
    /// (possibly fewer on timeout).
    ///
    /// `method` is compared case-insensitively. Returns the bodies of the *first* `n`
    /// matching calls (all of them, if fewer arrived before the timeout). Counts only calls
    /// answered normally (see [`FakeTelegram::calls`]).
    pub fn wait_for(&self, method: &str, n: usize, timeout: Duration) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        let matching = |inner: &Inner| -> Vec<Value> {
            inner
                .calls
                .iter()
                .filter(|(m, _)| m.eq_ignore_ascii_case(method))
                .take(n)
                .map(|(_, body)| body.clone())
                .collect()
        };
        let mut inner = self.shared.lock();
        loop {
            let count = inner
                .counts
                .get(&method.to_ascii_lowercase())
                .copied()
                .unwrap_or(0);
            let now = Instant::now();
            if count >= n || now >= deadline {
                return matching(&inner);
            }
            inner = self
                .shared
                .recorded
                .wait_timeout(inner, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Blocks until `n` calls of `method` have arrived (or `timeout` passes); returns when
    /// the `n`-th was answered (None on timeout). For latency measurements: the time is
    /// taken by the server, so the test's own bookkeeping does not count.
    pub fn wait_for_nth(&self, method: &str, n: usize, timeout: Duration) -> Option<Instant> {
        if n == 0 || self.wait_for(method, n, timeout).len() < n {
            return None;
        }
        let inner = self.shared.lock();
        inner
            .calls
            .iter()
            .zip(&inner.call_times)
            .filter(|((m, _), _)| m.eq_ignore_ascii_case(method))
            .nth(n - 1)
            .map(|(_, t)| *t)
    }

    /// The next `n` calls of `method` (any method if "*") get
    /// `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after S","parameters":{"retry_after":S}}`
    /// with HTTP 429.
    ///
    /// Rules are checked in the order they were added; each matching call uses up one.
    pub fn fail_with_429(&self, method: &str, n: usize, retry_after_secs: u32) {
        self.add_rule(
            method,
            n,
            FailKind::TooManyRequests {
                retry_after: retry_after_secs,
            },
        );
    }

    /// The next `n` calls of `method` (any method if "*") get an HTTP 500 (for fault tests).
    ///
    /// Note that teloxide sleeps 10 s after any 5xx before it even reads the body.
    pub fn fail_with_500(&self, method: &str, n: usize) {
        self.add_rule(method, n, FailKind::ServerError);
    }

    /// Sends the update `update_id` (pushed earlier, typically already delivered and
    /// confirmed) again, first in the next `getUpdates` answer, with the same `update_id`:
    /// what Telegram does when the bot's confirmation was lost. Panics if no such update was
    /// pushed.
    pub fn redeliver(&self, update_id: i64) {
        {
            let mut inner = self.shared.lock();
            let update = inner
                .history
                .get(&update_id)
                .cloned()
                .unwrap_or_else(|| panic!("no update {update_id} was pushed"));
            inner.replays.push_back(update);
        }
        self.shared.pushed.send_modify(|v| *v += 1);
    }

    /// How many updates [`FakeTelegram::redeliver`] has actually sent again so far.
    pub fn redelivered(&self) -> usize {
        self.shared.lock().replayed
    }

    /// The next `n` calls of `method` (any method if "*") have their connection closed
    /// without an answer: no status line, no body, as when a proxy or the network fails
    /// mid-request.
    pub fn drop_connection(&self, method: &str, n: usize) {
        self.add_rule(method, n, FailKind::Drop);
    }

    /// The next `n` calls of `method` (any method if "*") are answered normally, but only
    /// after `by` (a `getUpdates` long poll waits this long first, then as usual).
    pub fn delay(&self, method: &str, n: usize, by: Duration) {
        self.add_rule(method, n, FailKind::Slow(by));
    }

    /// Number of updates queued but not yet delivered.
    ///
    /// "Delivered" means returned by some `getUpdates` at least once. Updates that were
    /// delivered but not yet confirmed (by a later `offset`) stay queued and are sent again
    /// to a restarted bot, but do not count here; see [`FakeTelegram::unconfirmed_updates`].
    pub fn pending_updates(&self) -> usize {
        self.shared
            .lock()
            .updates
            .iter()
            .filter(|u| !u.delivered)
            .count()
    }

    /// Number of updates not yet confirmed by the bot (a later `getUpdates` `offset`),
    /// delivered or not.
    pub fn unconfirmed_updates(&self) -> usize {
        self.shared.lock().updates.len()
    }

    fn add_rule(&self, method: &str, n: usize, kind: FailKind) {
        if n == 0 {
            return;
        }
        let method = if method == "*" {
            "*".to_string()
        } else {
            method.to_ascii_lowercase()
        };
        self.shared.lock().rules.push(FailRule {
            method,
            remaining: n,
            kind,
        });
    }
}

// ---------------------------------------------------------------------------------------
// The HTTP side.
// ---------------------------------------------------------------------------------------

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn ok(result: Value) -> Response {
    json_response(StatusCode::OK, json!({"ok": true, "result": result}))
}

fn api_error(code: u16, description: &str) -> Response {
    json_response(
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        json!({"ok": false, "error_code": code, "description": description}),
    )
}

/// `/.../bot{TOKEN}/{method}` → method. Empty segments (double slashes) are ignored.
fn method_from_path(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() < 2 {
        return None;
    }
    let token = segments[segments.len() - 2];
    if !token.starts_with("bot") {
        return None;
    }
    let method = segments[segments.len() - 1];
    if method.is_empty()
        || !method
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some(method.to_string())
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let Some(raw_method) = method_from_path(&path) else {
        return api_error(404, "Not Found");
    };
    let method = canonical_method(&raw_method);
    let body = match read_params(req).await {
        Ok(body) => body,
        Err(msg) => {
            let resp = api_error(400, &format!("Bad Request: {msg}"));
            record(&shared, &method, json!({"__unparsable": msg}), false);
            return resp;
        }
    };

    // Injected failures come first.
    let injected = {
        let mut inner = shared.lock();
        let lower = method.to_ascii_lowercase();
        let mut hit = None;
        for rule in inner.rules.iter_mut() {
            if rule.remaining > 0 && (rule.method == "*" || rule.method == lower) {
                rule.remaining -= 1;
                hit = Some(rule.kind);
                break;
            }
        }
        inner.rules.retain(|r| r.remaining > 0);
        hit
    };
    match injected {
        Some(FailKind::TooManyRequests { retry_after }) => {
            record(&shared, &method, body, true);
            return json_response(
                StatusCode::TOO_MANY_REQUESTS,
                json!({
                    "ok": false,
                    "error_code": 429,
                    "description": format!("Too Many Requests: retry after {retry_after}"),
                    "parameters": {"retry_after": retry_after},
                }),
            );
        }
        Some(FailKind::ServerError) => {
            record(&shared, &method, body, true);
            return api_error(500, "Internal Server Error");
        }
        Some(FailKind::Drop) => {
            record(&shared, &method, body, true);
            // Unwinding out of the handler ends the task serving this connection (axum
            // runs one per connection), which drops the socket with no answer written.
            // `resume_unwind` skips the panic hook, so nothing is printed.
            std::panic::resume_unwind(Box::new("fake telegram: connection dropped"));
        }
        Some(FailKind::Slow(by)) => tokio::time::sleep(by).await,
        None => {}
    }

    let mut body = body;
    if method == "sendPhoto" && body.get("photo_bytes").is_none() {
        // A file id or URL instead of an upload.
        body["photo_bytes"] = json!(0);
    }

    if method == "getUpdates" {
        record(&shared, &method, body.clone(), false);
        return get_updates(&shared, &body).await;
    }

    let bot_username = shared.lock().bot_username.clone();
    let response = match method.as_str() {
        "getMe" => ok(me_json(&bot_username)),
        "sendMessage" => {
            let chat = chat_for_request(&body);
            let mut msg = bot_message(&bot_username, chat, next_message_id());
            msg["text"] = json!(body.get("text").and_then(Value::as_str).unwrap_or(""));
            copy_inline_keyboard(&body, &mut msg);
            ok(msg)
        }
        "sendPhoto" => {
            let chat = chat_for_request(&body);
            let n = next_message_id();
            let mut msg = bot_message(&bot_username, chat, n);
            let size = body.get("photo_bytes").and_then(Value::as_u64).unwrap_or(0);
            let (width, height) = body
                .get("__photo_dimensions")
                .and_then(|d| Some((d.get(0)?.as_u64()?, d.get(1)?.as_u64()?)))
                .unwrap_or((800, 600));
            msg["photo"] = json!([{
                "file_id": format!("fake-photo-{n}"),
                "file_unique_id": format!("fake-unique-photo-{n}"),
                "width": width,
                "height": height,
                "file_size": size,
            }]);
            if let Some(caption) = body.get("caption").and_then(Value::as_str) {
                msg["caption"] = json!(caption);
            }
            copy_inline_keyboard(&body, &mut msg);
            ok(msg)
        }
        "editMessageText" => {
            if body.get("inline_message_id").is_some() {
                ok(json!(true))
            } else {
                let chat = chat_for_request(&body);
                let id = body.get("message_id").and_then(Value::as_i64).unwrap_or(0);
                let mut msg = bot_message(&bot_username, chat, id);
                msg["text"] = json!(body.get("text").and_then(Value::as_str).unwrap_or(""));
                msg["edit_date"] = json!(now_unix());
                copy_inline_keyboard(&body, &mut msg);
                ok(msg)
            }
        }
        "answerInlineQuery"
        | "answerCallbackQuery"
        | "setMyCommands"
        | "deleteMyCommands"
        | "deleteWebhook"
        | "setWebhook"
        | "sendChatAction"
        | "close"
        | "logOut" => ok(json!(true)),
        "getWebhookInfo" => ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": 0,
        })),
        _ => api_error(400, "Bad Request: method not found"),
    };
    record(&shared, &method, body, false);
    response
}

fn record(shared: &Shared, method: &str, mut body: Value, failed: bool) {
    if let Some(map) = body.as_object_mut() {
        map.remove("__photo_dimensions");
    }
    let mut inner = shared.lock();
    if failed {
        inner.failed.push((method.to_string(), body));
    } else {
        inner.calls.push((method.to_string(), body));
        inner.call_times.push(Instant::now());
        *inner.counts.entry(method.to_ascii_lowercase()).or_insert(0) += 1;
    }
    drop(inner);
    shared.recorded.notify_all();
}

async fn get_updates(shared: &Shared, body: &Value) -> Response {
    let offset = body.get("offset").and_then(Value::as_i64);
    let limit = body
        .get("limit")
        .and_then(Value::as_i64)
        .unwrap_or(100)
        .clamp(1, 100) as usize;
    let timeout = body.get("timeout").and_then(Value::as_u64).unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(timeout).min(MAX_LONG_POLL);
    let mut pushed = shared.pushed.subscribe();
    loop {
        pushed.borrow_and_update();
        {
            let mut inner = shared.lock();
            // Updates sent again come first, so the last update of the answer (which sets
            // the bot's next offset) is still the newest.
            let replays: Vec<Value> = inner.replays.drain(..).collect();
            match offset {
                Some(off) if off < 0 => {
                    // Telegram: a negative offset keeps only the last -offset updates.
                    let keep = off.unsigned_abs() as usize;
                    while inner.updates.len() > keep {
                        inner.updates.pop_front();
                    }
                }
                Some(off) => inner.updates.retain(|u| u.id >= off),
                None => {}
            }
            inner.replayed += replays.len();
            let fresh = limit.saturating_sub(replays.len());
            let batch: Vec<Value> = replays
                .into_iter()
                .chain(inner.updates.iter_mut().take(fresh).map(|u| {
                    u.delivered = true;
                    u.json.clone()
                }))
                .collect();
            if !batch.is_empty() {
                return ok(Value::Array(batch));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return ok(json!([]));
        }
        // Woken by a push, or give up at the deadline (then answer with what there is).
        let _ = tokio::time::timeout(deadline - now, pushed.changed()).await;
    }
}

/// Reads the request's parameters (query string plus JSON, form or multipart body) into
/// one JSON object.
async fn read_params(req: Request) -> Result<Value, String> {
    let mut params = Map::new();
    if let Ok(Query(query)) = Query::<Vec<(String, String)>>::try_from_uri(req.uri()) {
        for (k, v) in query {
            let value = coerce_text_field(&k, v);
            params.insert(k, value);
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();

    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|e| format!("multipart: {e}"))?;
        // (name, data, has a filename)
        let mut parts: Vec<(String, Bytes, bool)> = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| format!("multipart: {e}"))?
        {
            let name = field.name().unwrap_or("").to_string();
            let is_file = field.file_name().is_some();
            let data = field.bytes().await.map_err(|e| format!("multipart: {e}"))?;
            parts.push((name, data, is_file));
        }
        // Parts referred to by another field's `attach://<name>` value.
        let by_name: HashMap<String, Bytes> = parts
            .iter()
            .map(|(name, data, _)| (name.clone(), data.clone()))
            .collect();
        let attached: Vec<String> = parts
            .iter()
            .filter_map(|(_, data, _)| {
                let text = std::str::from_utf8(data).ok()?;
                let target = text.strip_prefix("attach://")?;
                by_name.contains_key(target).then(|| target.to_string())
            })
            .collect();
        for (name, data, is_file) in &parts {
            if attached.contains(name) {
                continue;
            }
            match (*is_file, std::str::from_utf8(data)) {
                (false, Ok(text)) => match text.strip_prefix("attach://") {
                    Some(target) if by_name.contains_key(target) => {
                        add_file(&mut params, name, &by_name[target]);
                    }
                    _ => {
                        let value = coerce_text_field(name, text.to_string());
                        params.insert(name.clone(), value);
                    }
                },
                _ => add_file(&mut params, name, data),
            }
        }
        return Ok(Value::Object(params));
    }

    let bytes = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
        .await
        .map_err(|e| format!("body: {e}"))?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "form body is not UTF-8")?;
        let uri: axum::http::Uri = format!("/?{text}")
            .parse()
            .map_err(|e| format!("form: {e}"))?;
        let Query(form) =
            Query::<Vec<(String, String)>>::try_from_uri(&uri).map_err(|e| format!("form: {e}"))?;
        for (k, v) in form {
            let value = coerce_text_field(&k, v);
            params.insert(k, value);
        }
        return Ok(Value::Object(params));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(params));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => {
            params.extend(map);
            Ok(Value::Object(params))
        }
        Ok(other) => Err(format!("JSON body is not an object: {other}")),
        Err(e) => Err(format!("can't parse JSON body: {e}")),
    }
}

fn add_file(params: &mut Map<String, Value>, name: &str, data: &Bytes) {
    params.remove(name);
    params.insert(format!("{name}_bytes"), json!(data.len()));
    if name == "photo" {
        if let Some((w, h)) = png_dimensions(data) {
            params.insert("__photo_dimensions".into(), json!([w, h]));
        }
    }
}

/// Width and height from a PNG header, if `data` is a PNG.
fn png_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if data.len() < 24 || &data[..8] != SIG || &data[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(data[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(data[20..24].try_into().ok()?);
    Some((w, h))
}

/// Fields that the Bot API sends as JSON-serialized strings in form/multipart requests.
const JSON_FIELDS: &[&str] = &[
    "reply_markup",
    "reply_parameters",
    "entities",
    "caption_entities",
    "link_preview_options",
    "allowed_updates",
    "commands",
    "scope",
    "results",
    "button",
    "media",
];
/// Integer fields.
const INT_FIELDS: &[&str] = &[
    "chat_id",
    "message_id",
    "message_thread_id",
    "reply_to_message_id",
    "offset",
    "limit",
    "timeout",
    "user_id",
    "cache_time",
    "max_connections",
];
/// Boolean fields.
const BOOL_FIELDS: &[&str] = &[
    "disable_notification",
    "protect_content",
    "allow_sending_without_reply",
    "has_spoiler",
    "show_caption_above_media",
    "show_alert",
    "is_personal",
    "drop_pending_updates",
    "disable_web_page_preview",
    "allow_paid_broadcast",
];

fn coerce_text_field(name: &str, text: String) -> Value {
    if JSON_FIELDS.contains(&name) {
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            return v;
        }
    }
    if INT_FIELDS.contains(&name) {
        if let Ok(n) = text.trim().parse::<i64>() {
            return json!(n);
        }
    }
    if BOOL_FIELDS.contains(&name) {
        match text.trim() {
            "true" => return json!(true),
            "false" => return json!(false),
            _ => {}
        }
    }
    Value::String(text)
}

// ---------------------------------------------------------------------------------------
// Bot API objects.
// ---------------------------------------------------------------------------------------

/// The `getMe` result. teloxide's `Me` requires `can_join_groups`,
/// `can_read_all_group_messages`, `supports_inline_queries` and `has_main_web_app`.
fn me_json(bot_username: &str) -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": BOT_FIRST_NAME,
        "username": bot_username,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": true,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

/// The bot as a plain `User` (as it appears in `from` of its messages).
fn bot_user(bot_username: &str) -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": BOT_FIRST_NAME, "username": bot_username})
}

/// A (human) user object as the fake builds them.
pub fn user_json(user_id: i64) -> Value {
    json!({
        "id": user_id,
        "is_bot": false,
        "first_name": format!("User{user_id}"),
        "username": format!("user{user_id}"),
        "language_code": "en",
    })
}

/// A chat object: private (for a positive id, the user of that id), supergroup (negative).
pub fn chat_json(chat_id: i64) -> Value {
    if chat_id > 0 {
        json!({
            "id": chat_id,
            "type": "private",
            "first_name": format!("User{chat_id}"),
            "username": format!("user{chat_id}"),
        })
    } else {
        json!({"id": chat_id, "type": "supergroup", "title": format!("Group {chat_id}")})
    }
}

/// The chat a send/edit request targets; `@channelname` targets become a channel.
fn chat_for_request(body: &Value) -> Value {
    match body.get("chat_id") {
        Some(Value::Number(n)) => chat_json(n.as_i64().unwrap_or(0)),
        Some(Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(id) => chat_json(id),
            Err(_) => json!({
                "id": -1_000_000_000_001i64,
                "type": "channel",
                "title": s,
                "username": s.trim_start_matches('@'),
            }),
        },
        _ => chat_json(0),
    }
}

/// A message sent by the bot, without content (caller adds `text`, `photo`...).
fn bot_message(bot_username: &str, chat: Value, message_id: i64) -> Value {
    json!({
        "message_id": message_id,
        "from": bot_user(bot_username),
        "chat": chat,
        "date": now_unix(),
    })
}

/// Telegram echoes only inline keyboards in a `Message` (teloxide's `Message.reply_markup`
/// is an `InlineKeyboardMarkup`; echoing a reply keyboard would make it unparsable).
fn copy_inline_keyboard(body: &Value, msg: &mut Value) {
    if let Some(markup) = body.get("reply_markup") {
        if markup.get("inline_keyboard").is_some() {
            msg["reply_markup"] = markup.clone();
        }
    }
}

/// Bot API `MessageEntity` list for `text`: `bot_command` (`/cmd` or `/cmd@bot` at the start
/// or after whitespace) and `mention` (`@username`, 5-32 word characters, not preceded by a
/// word character), with offsets and lengths in UTF-16 code units as Telegram counts them.
pub fn entities_for(text: &str) -> Vec<Value> {
    let chars: Vec<char> = text.chars().collect();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let utf16_len = |cs: &[char]| cs.iter().map(|c| c.len_utf16()).sum::<usize>();
    let mut entities = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        if c == '/' && prev.is_none_or(char::is_whitespace) {
            let mut j = i + 1;
            while j < chars.len() && is_word(chars[j]) {
                j += 1;
            }
            if j > i + 1 && j - (i + 1) <= 32 {
                // Optional @botname.
                if j < chars.len() && chars[j] == '@' {
                    let mut k = j + 1;
                    while k < chars.len() && is_word(chars[k]) {
                        k += 1;
                    }
                    if k > j + 1 {
                        j = k;
                    }
                }
                let ends_cleanly = j == chars.len() || !(is_word(chars[j]) || chars[j] == '/');
                if ends_cleanly {
                    entities.push(json!({
                        "type": "bot_command",
                        "offset": utf16_len(&chars[..i]),
                        "length": utf16_len(&chars[i..j]),
                    }));
                    i = j;
                    continue;
                }
            }
        } else if c == '@' && !prev.is_some_and(is_word) {
            let mut j = i + 1;
            while j < chars.len() && is_word(chars[j]) {
                j += 1;
            }
            let len = j - (i + 1);
            if (5..=32).contains(&len) {
                entities.push(json!({
                    "type": "mention",
                    "offset": utf16_len(&chars[..i]),
                    "length": utf16_len(&chars[i..j]),
                }));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    entities
}

fn text_message(chat: Value, user_id: i64, text: &str) -> Value {
    let mut msg = json!({
        "message_id": next_message_id(),
        "from": user_json(user_id),
        "chat": chat,
        "date": now_unix(),
        "text": text,
    });
    let entities = entities_for(text);
    if !entities.is_empty() {
        msg["entities"] = Value::Array(entities);
    }
    msg
}

/// A message in a private chat (chat id == user id), with "bot_command" entities when text
/// starts with '/' (and `mention` entities for `@username`s, as Telegram would).
pub fn private_text(user_id: i64, text: &str) -> Value {
    json!({"message": text_message(chat_json(user_id), user_id, text)})
}

/// A supergroup message (use a negative chat id like -1001234), with bot_command/mention
/// entities computed from the text (UTF-16 offsets).
pub fn group_text(chat_id: i64, user_id: i64, text: &str) -> Value {
    json!({"message": text_message(group_chat(chat_id), user_id, text)})
}

fn group_chat(chat_id: i64) -> Value {
    json!({"id": chat_id, "type": "supergroup", "title": format!("Group {chat_id}")})
}

/// The user id Telegram gives the placeholder sender of messages that anonymous group
/// admins send on behalf of the group.
pub const GROUP_ANONYMOUS_BOT_ID: i64 = 1_087_968_824;

/// A supergroup message from an anonymous admin, sent on behalf of the group itself: as
/// Telegram delivers it, `from` is the placeholder bot @GroupAnonymousBot and
/// `sender_chat` is the group (with mention and command entities, as [`group_text`]).
pub fn group_text_as_group(chat_id: i64, text: &str) -> Value {
    let chat = group_chat(chat_id);
    let mut msg = text_message(chat.clone(), GROUP_ANONYMOUS_BOT_ID, text);
    msg["from"] = json!({
        "id": GROUP_ANONYMOUS_BOT_ID,
        "is_bot": true,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    });
    msg["sender_chat"] = chat;
    json!({"message": msg})
}

/// A supergroup message that replies to message `bot_message_id` sent by the bot
/// (`from.is_bot = true`, `from.id = BOT_ID`, `username = bot_username`).
pub fn group_reply_to_bot(
    chat_id: i64,
    user_id: i64,
    text: &str,
    bot_message_id: i64,
    bot_username: &str,
) -> Value {
    let chat = group_chat(chat_id);
    let mut msg = text_message(chat.clone(), user_id, text);
    msg["reply_to_message"] = json!({
        "message_id": bot_message_id,
        "from": bot_user(bot_username),
        "chat": chat,
        "date": now_unix() - 60,
        "text": "(an earlier answer from the bot)",
    });
    json!({"message": msg})
}

/// An inline query from `user_id` (sent from the user's private chat with the bot).
pub fn inline_query(user_id: i64, query: &str) -> Value {
    let n = NEXT_QUERY_ID.fetch_add(1, Ordering::SeqCst);
    json!({
        "inline_query": {
            "id": format!("iq{n}"),
            "from": user_json(user_id),
            "query": query,
            "offset": "",
            "chat_type": "sender",
        }
    })
}

/// A callback query from pressing an inline button with `data` on bot message `message_id`
/// in chat `chat_id` (private if positive, supergroup if negative). The message is a normal
/// (accessible, `date` != 0) text message from the bot ([`BOT_ID`], with the username of the
/// most recently started [`FakeTelegram`], or [`DEFAULT_BOT_USERNAME`] before any).
pub fn callback_query(user_id: i64, chat_id: i64, message_id: i64, data: &str) -> Value {
    let n = NEXT_QUERY_ID.fetch_add(1, Ordering::SeqCst);
    let chat = if chat_id > 0 {
        chat_json(chat_id)
    } else {
        group_chat(chat_id)
    };
    json!({
        "callback_query": {
            "id": format!("cb{n}"),
            "from": user_json(user_id),
            "message": {
                "message_id": message_id,
                "from": bot_user(&last_bot_username()),
                "chat": chat,
                "date": now_unix() - 60,
                "text": "(a message from the bot with buttons)",
            },
            "chat_instance": format!("ci{chat_id}"),
            "data": data,
        }
    })
}

fn last_bot_username() -> String {
    let name = LAST_BOT_USERNAME
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if name.is_empty() {
        DEFAULT_BOT_USERNAME.to_string()
    } else {
        name
    }
}

/// Sets `from.language_code` on the user of the update's message, edited message, inline
/// query or callback query.
pub fn with_language(mut update: Value, language_code: &str) -> Value {
    for key in [
        "message",
        "edited_message",
        "inline_query",
        "callback_query",
        "chosen_inline_result",
    ] {
        if let Some(from) = update.get_mut(key).and_then(|v| v.get_mut("from")) {
            if from.is_object() {
                from["language_code"] = json!(language_code);
            }
        }
    }
    update
}

// ---------------------------------------------------------------------------------------
// Self-tests: plain HTTP requests, then a real teloxide client against the fake.
// ---------------------------------------------------------------------------------------

// NB: teloxide parses response *text* (`serde_json::from_str`); its `Update` does not
// deserialize from a `serde_json::Value` (`from_value` yields `UpdateKind::Error`), so the
// tests below re-serialize before checking with teloxide's types.

/// Sends one HTTP/1.1 request over a fresh connection; returns (status, parsed JSON body).
fn http(url: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, Value) {
    use std::io::{Read, Write};
    let hostport = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(hostport).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("bad JSON {e}: {}", String::from_utf8_lossy(&body)));
    (status, json)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

fn post_json(url: &str, method: &str, body: Value) -> (u16, Value) {
    http(
        url,
        &format!("/bot123:ABC/{method}"),
        "application/json",
        body.to_string().as_bytes(),
    )
}

#[test]
fn fake_telegram_answers_plain_http() {
    let tg = FakeTelegram::start("factbot_test_bot");
    let url = tg.url();

    // getMe in either spelling; the result is a valid teloxide `Me`.
    for name in ["getMe", "GetMe", "getme"] {
        let (status, body) = post_json(&url, name, json!({}));
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(body["result"]["username"], "factbot_test_bot");
        let me: teloxide::types::Me = serde_json::from_str(&body["result"].to_string()).unwrap();
        assert_eq!(me.id.0, BOT_ID as u64);
    }
    assert_eq!(tg.calls().iter().filter(|(m, _)| m == "getMe").count(), 3);

    // Unknown methods: fast 400, never 5xx.
    let started = Instant::now();
    let (status, body) = post_json(&url, "sendDice", json!({"chat_id": 1}));
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: method not found");
    assert_eq!(body["ok"], false);
    assert!(started.elapsed() < Duration::from_secs(1));

    // getWebhookInfo parses as teloxide's WebhookInfo with no URL.
    let (_, body) = post_json(&url, "GetWebhookInfo", json!({}));
    let info: teloxide::types::WebhookInfo =
        serde_json::from_str(&body["result"].to_string()).unwrap();
    assert!(info.url.is_none());

    // sendMessage: recorded with its reply_markup; the answer is a valid Message.
    let markup = json!({"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]});
    let (status, body) = post_json(
        &url,
        "SendMessage",
        json!({"chat_id": -1001234, "text": "hello", "reply_markup": markup}),
    );
    assert_eq!(status, 200, "{body}");
    let msg: teloxide::types::Message = serde_json::from_str(&body["result"].to_string()).unwrap();
    assert_eq!(msg.text(), Some("hello"));
    assert_eq!(msg.chat.id.0, -1001234);
    assert!(msg.chat.is_supergroup());
    assert_eq!(msg.from.as_ref().unwrap().id.0, BOT_ID as u64);
    assert!(msg.reply_markup().is_some());
    let sent = tg.wait_for("sendMessage", 1, Duration::from_secs(1));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["reply_markup"], markup);

    // A private chat answer, and a reply keyboard that must not be echoed.
    let (_, body) = post_json(
        &url,
        "sendMessage",
        json!({"chat_id": 77, "text": "hi", "reply_markup": {"keyboard": [[{"text": "a"}]]}}),
    );
    let msg: teloxide::types::Message = serde_json::from_str(&body["result"].to_string()).unwrap();
    assert!(msg.chat.is_private());

    // editMessageText: Message for chat messages, true for inline ones.
    let (_, body) = post_json(
        &url,
        "editMessageText",
        json!({"chat_id": 77, "message_id": 5, "text": "edited"}),
    );
    let msg: teloxide::types::Message = serde_json::from_str(&body["result"].to_string()).unwrap();
    assert_eq!(msg.id.0, 5);
    assert_eq!(msg.text(), Some("edited"));
    let (_, body) = post_json(
        &url,
        "editMessageText",
        json!({"inline_message_id": "abc", "text": "x"}),
    );
    assert_eq!(body["result"], true);

    for name in [
        "answerInlineQuery",
        "answerCallbackQuery",
        "setMyCommands",
        "deleteMyCommands",
        "deleteWebhook",
        "setWebhook",
        "sendChatAction",
        "close",
        "logOut",
    ] {
        let (status, body) = post_json(&url, name, json!({}));
        assert_eq!(
            (status, body["result"].clone()),
            (200, json!(true)),
            "{name}"
        );
    }

    // Injected 429s, for one method and for any method; then normal service resumes.
    tg.fail_with_429("sendMessage", 1, 3);
    let (status, body) = post_json(&url, "sendMessage", json!({"chat_id": 1, "text": "a"}));
    assert_eq!(status, 429);
    assert_eq!(body["parameters"]["retry_after"], 3);
    assert_eq!(body["error_code"], 429);
    assert_eq!(body["description"], "Too Many Requests: retry after 3");
    let (status, _) = post_json(&url, "sendMessage", json!({"chat_id": 1, "text": "b"}));
    assert_eq!(status, 200);
    tg.fail_with_429("*", 2, 1);
    assert_eq!(post_json(&url, "getMe", json!({})).0, 429);
    assert_eq!(post_json(&url, "answerCallbackQuery", json!({})).0, 429);
    assert_eq!(post_json(&url, "getMe", json!({})).0, 200);
    tg.fail_with_500("GETME", 1);
    assert_eq!(post_json(&url, "getMe", json!({})).0, 500);
    assert_eq!(post_json(&url, "getMe", json!({})).0, 200);
    let failed = tg.failed_calls();
    assert_eq!(failed.len(), 4);
    assert_eq!(failed[0].0, "sendMessage");
    assert_eq!(failed[0].1["text"], "a");
    let texts: Vec<Value> = tg
        .calls()
        .into_iter()
        .filter(|(m, _)| m == "sendMessage")
        .map(|(_, b)| b["text"].clone())
        .collect();
    assert_eq!(texts, vec![json!("hello"), json!("hi"), json!("b")]);

    // wait_for times out with what there is.
    let started = Instant::now();
    let got = tg.wait_for("sendPhoto", 1, Duration::from_millis(200));
    assert!(got.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(200));

    // Not a Bot API path.
    let (status, _) = http(&url, "/favicon.ico", "text/plain", b"");
    assert_eq!(status, 404);
}

#[test]
fn fake_telegram_get_updates_long_polls_and_keeps_unconfirmed_updates() {
    let tg = FakeTelegram::start("factbot_test_bot");
    let url = tg.url();

    let a = tg.push_update(private_text(10, "/start"));
    let b = tg.push_update(group_text(-1001234, 11, "hello"));
    assert_eq!(b, a + 1);
    assert_eq!(tg.pending_updates(), 2);

    let (_, body) = post_json(&url, "getUpdates", json!({"offset": 0, "timeout": 10}));
    let updates: Vec<teloxide::types::Update> =
        serde_json::from_str(&body["result"].to_string()).unwrap();
    assert_eq!(updates.len(), 2);
    assert!(updates
        .iter()
        .all(|u| !matches!(u.kind, teloxide::types::UpdateKind::Error(_))));
    assert_eq!(updates[0].id.0 as i64, a);
    assert_eq!(tg.pending_updates(), 0);
    assert_eq!(tg.unconfirmed_updates(), 2);

    // Not confirmed yet: a restarted bot (offset 0 again) gets them again.
    let (_, body) = post_json(&url, "GetUpdates", json!({"offset": 0, "limit": 1}));
    assert_eq!(body["result"].as_array().unwrap().len(), 1);
    assert_eq!(body["result"][0]["update_id"], a);

    // Confirming the first one.
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": a + 1}));
    let result = body["result"].as_array().unwrap();
    assert_eq!(result.len(), 1);
    assert_eq!(result[0]["update_id"], b);

    // Confirm everything; an empty queue holds the poll for at most ~1 s.
    let started = Instant::now();
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": b + 1, "timeout": 30}));
    assert_eq!(body["result"], json!([]));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert_eq!(tg.unconfirmed_updates(), 0);

    // A push during a long poll answers it at once.
    let pusher = tg.clone();
    let handle = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        pusher.push_update(inline_query(12, "rice exports"))
    });
    let started = Instant::now();
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": b + 1, "timeout": 30}));
    let c = handle.join().unwrap();
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(body["result"][0]["update_id"], c);
    assert_eq!(body["result"][0]["inline_query"]["query"], "rice exports");

    // Negative offset (teloxide's "drop pending updates") keeps only the last one.
    tg.push_update(private_text(10, "one"));
    tg.push_update(private_text(10, "two"));
    let (_, body) = post_json(
        &url,
        "getUpdates",
        json!({"offset": -1, "limit": 1, "timeout": 0}),
    );
    assert_eq!(body["result"][0]["message"]["text"], "two");
    assert_eq!(
        tg.calls().iter().filter(|(m, _)| m == "getUpdates").count(),
        6
    );
}

#[test]
fn fake_telegram_accepts_multipart_photos() {
    let tg = FakeTelegram::start("factbot_test_bot");
    let url = tg.url();
    let boundary = "XyZbOuNdArY";
    // A tiny PNG header claiming 320x200, plus some bytes.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&320u32.to_be_bytes());
    png.extend_from_slice(&200u32.to_be_bytes());
    png.extend_from_slice(&[0u8; 40]);

    let text_part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    // The way teloxide does it: photo=attach://<id> plus a file part named <id>.
    let mut body = Vec::new();
    body.extend(text_part("chat_id", "-1001234").into_bytes());
    body.extend(text_part("photo", "attach://f00d").into_bytes());
    body.extend(text_part("caption", "Rice exports, 2020-2024").into_bytes());
    body.extend(text_part("parse_mode", "HTML").into_bytes());
    body.extend(text_part("reply_parameters", r#"{"message_id":17}"#).into_bytes());
    body.extend(
        text_part(
            "reply_markup",
            r#"{"inline_keyboard":[[{"text":"Sources","callback_data":"src"}]]}"#,
        )
        .into_bytes(),
    );
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"f00d\"; filename=\"chart.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes(),
    );
    body.extend_from_slice(&png);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let (status, resp) = http(
        &url,
        "/bot123:ABC/SendPhoto",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(status, 200, "{resp}");
    let msg: teloxide::types::Message = serde_json::from_str(&resp["result"].to_string()).unwrap();
    let photo = msg.photo().expect("photo message");
    assert_eq!((photo[0].width, photo[0].height), (320, 200));
    assert_eq!(photo[0].file.size as usize, png.len());
    assert_eq!(msg.caption(), Some("Rice exports, 2020-2024"));
    assert!(msg.reply_markup().is_some());

    let calls = tg.wait_for("sendPhoto", 1, Duration::from_secs(1));
    let call = &calls[0];
    assert_eq!(call["chat_id"], -1001234);
    assert_eq!(call["photo_bytes"], png.len());
    assert!(
        call.get("photo").is_none() && call.get("f00d_bytes").is_none(),
        "{call}"
    );
    assert_eq!(call["caption"], "Rice exports, 2020-2024");
    assert_eq!(call["parse_mode"], "HTML");
    assert_eq!(call["reply_parameters"]["message_id"], 17);
    assert_eq!(
        call["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "src"
    );

    // A file part named "photo" directly.
    let mut body = Vec::new();
    body.extend(text_part("chat_id", "55").into_bytes());
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x.png\"\r\n\r\n"
        )
        .into_bytes(),
    );
    body.extend_from_slice(&[1, 2, 3, 4, 5]);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let (status, resp) = http(
        &url,
        "/bot123:ABC/sendPhoto",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(status, 200, "{resp}");
    let calls = tg.wait_for("sendPhoto", 2, Duration::from_secs(1));
    assert_eq!(calls[1]["photo_bytes"], 5);
    assert_eq!(calls[1]["chat_id"], 55);
}

#[test]
fn fake_telegram_update_builders_parse_as_teloxide_updates() {
    use teloxide::types::{MessageEntityKind, UpdateKind};

    let text = "«Rice» 🌾 /ask@factbot_test_bot why? @factbot_test_bot /help";
    let update = with_language(group_text(-1001234, 7, text), "ru");
    let entities = update["message"]["entities"].as_array().unwrap().clone();
    // UTF-16 offsets: « and » are 1 unit each, 🌾 is 2.
    assert_eq!(entities.len(), 3, "{entities:?}");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let slice = |e: &Value| {
        let off = e["offset"].as_u64().unwrap() as usize;
        let len = e["length"].as_u64().unwrap() as usize;
        String::from_utf16(&utf16[off..off + len]).unwrap()
    };
    assert_eq!(entities[0]["type"], "bot_command");
    assert_eq!(slice(&entities[0]), "/ask@factbot_test_bot");
    assert_eq!(entities[1]["type"], "mention");
    assert_eq!(slice(&entities[1]), "@factbot_test_bot");
    assert_eq!(slice(&entities[2]), "/help");

    let tg = FakeTelegram::start("factbot_test_bot");
    let updates = vec![
        update,
        private_text(7, "/start"),
        with_language(
            private_text(8, "no command: a/b, 50/50 and me@example.org"),
            "de",
        ),
        group_reply_to_bot(-1001234, 7, "and in 2023?", 1234, "factbot_test_bot"),
        with_language(inline_query(7, "coffee"), "ru"),
        with_language(callback_query(7, -1001234, 99, "page:2"), "ru"),
        callback_query(7, 7, 100, "more"),
    ];
    let ids: Vec<i64> = updates.into_iter().map(|u| tg.push_update(u)).collect();
    let (_, body) = post_json(&tg.url(), "getUpdates", json!({"offset": 0}));
    let parsed: Vec<teloxide::types::Update> =
        serde_json::from_str(&body["result"].to_string()).unwrap();
    assert_eq!(parsed.len(), ids.len());
    for (update, raw) in parsed.iter().zip(body["result"].as_array().unwrap()) {
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "unparsable: {raw}"
        );
    }
    let mut message_ids = Vec::new();
    match &parsed[0].kind {
        UpdateKind::Message(m) => {
            assert!(m.chat.is_supergroup());
            assert_eq!(
                m.from.as_ref().unwrap().language_code.as_deref(),
                Some("ru")
            );
            let kinds: Vec<_> = m
                .parse_entities()
                .unwrap()
                .iter()
                .map(|e| e.kind().clone())
                .collect();
            assert_eq!(
                kinds,
                vec![
                    MessageEntityKind::BotCommand,
                    MessageEntityKind::Mention,
                    MessageEntityKind::BotCommand
                ]
            );
            assert_eq!(
                m.parse_entities().unwrap()[0].text(),
                "/ask@factbot_test_bot"
            );
            message_ids.push(m.id.0);
        }
        other => panic!("{other:?}"),
    }
    match &parsed[1].kind {
        UpdateKind::Message(m) => {
            assert!(m.chat.is_private());
            assert_eq!(m.chat.id.0, 7);
            assert_eq!(
                m.from.as_ref().unwrap().language_code.as_deref(),
                Some("en")
            );
            assert_eq!(m.parse_entities().unwrap()[0].text(), "/start");
            message_ids.push(m.id.0);
        }
        other => panic!("{other:?}"),
    }
    match &parsed[2].kind {
        UpdateKind::Message(m) => {
            assert!(
                m.entities().is_none_or(|e| e.is_empty()),
                "{:?}",
                m.entities()
            );
            assert_eq!(
                m.from.as_ref().unwrap().language_code.as_deref(),
                Some("de")
            );
            message_ids.push(m.id.0);
        }
        other => panic!("{other:?}"),
    }
    match &parsed[3].kind {
        UpdateKind::Message(m) => {
            let replied = m.reply_to_message().expect("reply");
            assert_eq!(replied.id.0, 1234);
            let from = replied.from.as_ref().unwrap();
            assert!(from.is_bot);
            assert_eq!(from.username.as_deref(), Some("factbot_test_bot"));
            message_ids.push(m.id.0);
        }
        other => panic!("{other:?}"),
    }
    match &parsed[4].kind {
        UpdateKind::InlineQuery(q) => {
            assert_eq!(q.query, "coffee");
            assert_eq!(q.from.language_code.as_deref(), Some("ru"));
        }
        other => panic!("{other:?}"),
    }
    match &parsed[5].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.data.as_deref(), Some("page:2"));
            assert_eq!(q.from.language_code.as_deref(), Some("ru"));
            let m = q.regular_message().expect("accessible message");
            assert_eq!(m.id.0, 99);
            assert_eq!(m.chat.id.0, -1001234);
        }
        other => panic!("{other:?}"),
    }
    match &parsed[6].kind {
        UpdateKind::CallbackQuery(q) => {
            assert!(q.regular_message().unwrap().chat.is_private());
        }
        other => panic!("{other:?}"),
    }
    let mut unique = message_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), message_ids.len());
}

/// The fake against the real client: teloxide's own requests (its method-name casing, its
/// multipart layout) and its own response parsing, including the Throttle adaptor's retry
/// after a 429.
#[test]
fn fake_telegram_serves_a_real_teloxide_bot() {
    use teloxide::adaptors::throttle::Limits;
    use teloxide::prelude::*;
    use teloxide::types::{
        BotCommand, ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult,
        InlineQueryResultArticle, InputFile, InputMessageContent, InputMessageContentText,
        MessageId, ReplyParameters,
    };

    let tg = FakeTelegram::start("factbot_test_bot");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let bot = Bot::new("123:ABC").set_api_url(tg.url().parse().unwrap());
        let me = bot.get_me().await.expect("getMe");
        assert_eq!(me.username(), "factbot_test_bot");
        assert!(me.supports_inline_queries);

        let info = bot.get_webhook_info().await.expect("getWebhookInfo");
        assert!(info.url.is_none());
        bot.delete_webhook().await.expect("deleteWebhook");
        bot.set_my_commands([BotCommand::new("ask", "Ask a question")])
            .await
            .expect("setMyCommands");

        let id = tg.push_update(private_text(7, "/ask rice"));
        let updates = bot
            .get_updates()
            .offset(0)
            .timeout(5)
            .await
            .expect("getUpdates");
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].id.0 as i64, id);
        let updates = bot
            .get_updates()
            .offset(id as i32 + 1)
            .timeout(5)
            .await
            .expect("getUpdates");
        assert!(updates.is_empty());
        assert_eq!(tg.unconfirmed_updates(), 0);

        let keyboard =
            InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("More", "more:1")]]);
        let sent = bot
            .send_message(ChatId(7), "<b>Rice</b>")
            .parse_mode(teloxide::types::ParseMode::Html)
            .reply_parameters(ReplyParameters::new(MessageId(1)))
            .reply_markup(keyboard.clone())
            .await
            .expect("sendMessage");
        assert_eq!(sent.text(), Some("<b>Rice</b>"));
        bot.send_chat_action(ChatId(7), ChatAction::Typing)
            .await
            .expect("sendChatAction");

        let photo = bot
            .send_photo(
                ChatId(-1001234),
                InputFile::memory(vec![7u8; 1000]).file_name("chart.png"),
            )
            .caption("chart")
            .reply_markup(keyboard)
            .await
            .expect("sendPhoto");
        assert_eq!(photo.photo().unwrap()[0].file.size, 1000);
        // No file name, and bytes that happen to be valid UTF-8.
        bot.send_photo(ChatId(7), InputFile::memory(&b"not really a png"[..]))
            .await
            .expect("sendPhoto without a file name");

        let edited = bot
            .edit_message_text(ChatId(7), sent.id, "edited")
            .await
            .expect("editMessageText");
        assert_eq!(edited.id, sent.id);
        bot.edit_message_text_inline("inline-1", "edited inline")
            .await
            .expect("inline edit");

        let article = InlineQueryResultArticle::new(
            "1",
            "Rice",
            InputMessageContent::Text(InputMessageContentText::new("Rice exports")),
        );
        bot.answer_inline_query("iq1".into(), [InlineQueryResult::Article(article)])
            .await
            .expect("answerInlineQuery");
        bot.answer_callback_query("cb1".into())
            .await
            .expect("answerCallbackQuery");

        // Throttle retries a 429 after `retry_after` seconds by itself.
        let throttled = bot.clone().throttle(Limits::default());
        tg.fail_with_429("sendMessage", 1, 1);
        let started = Instant::now();
        throttled
            .send_message(ChatId(7), "after 429")
            .await
            .expect("retried sendMessage");
        assert!(started.elapsed() >= Duration::from_millis(900));
        assert_eq!(tg.failed_calls().len(), 1);

        // A plain Bot surfaces the 429 as RetryAfter.
        tg.fail_with_429("sendMessage", 1, 2);
        let err = bot.send_message(ChatId(7), "x").await.unwrap_err();
        assert!(
            matches!(err, teloxide::RequestError::RetryAfter(s) if s.seconds() == 2),
            "{err:?}"
        );

        // Unknown method: an API error, quickly.
        let started = Instant::now();
        let err = bot.send_dice(ChatId(7)).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2), "{err:?}");
        assert!(matches!(err, teloxide::RequestError::Api(_)), "{err:?}");
    });

    let calls = tg.calls();
    let names: Vec<&str> = calls.iter().map(|(m, _)| m.as_str()).collect();
    for expected in [
        "getMe",
        "getWebhookInfo",
        "deleteWebhook",
        "setMyCommands",
        "getUpdates",
        "sendMessage",
        "sendChatAction",
        "sendPhoto",
        "editMessageText",
        "answerInlineQuery",
        "answerCallbackQuery",
        "sendDice",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let message = &tg.wait_for("sendMessage", 1, Duration::from_secs(1))[0];
    assert_eq!(message["chat_id"], 7);
    assert_eq!(message["parse_mode"], "HTML");
    assert_eq!(message["reply_parameters"]["message_id"], 1);
    assert_eq!(
        message["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "more:1"
    );
    let photo = &tg.wait_for("sendPhoto", 1, Duration::from_secs(1))[0];
    assert_eq!(photo["photo_bytes"], 1000);
    assert_eq!(photo["chat_id"], -1001234);
    assert_eq!(photo["caption"], "chart");
    assert_eq!(
        photo["reply_markup"]["inline_keyboard"][0][0]["text"],
        "More"
    );
    let photo = &tg.wait_for("sendPhoto", 2, Duration::from_secs(1))[1];
    assert_eq!(photo["photo_bytes"], 16, "{photo}");
    assert_eq!(photo.as_object().unwrap().len(), 2, "{photo}");
    let edits = tg.wait_for("editMessageText", 2, Duration::from_secs(1));
    assert_eq!(edits[1]["inline_message_id"], "inline-1");
}

/// The fault injections: a dropped connection gets no answer at all, a slow answer comes
/// late but whole, a redelivered update comes again (first, with its own id) after it was
/// confirmed.
#[test]
fn fake_telegram_drops_delays_and_redelivers() {
    use std::io::{Read, Write};

    let tg = FakeTelegram::start("factbot_test_bot");
    let url = tg.url();
    tg.drop_connection("sendMessage", 1);
    let hostport = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(hostport).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = r#"{"chat_id":5,"text":"lost"}"#;
    let req = format!(
        "POST /bot123:ABC/sendMessage HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    // Closed without a byte of answer (a reset is as good as an end of stream).
    let _ = stream.read_to_end(&mut raw);
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(tg.failed_calls().len(), 1);
    assert!(tg.calls().is_empty());
    // The server is still up.
    let (status, _) = post_json(&url, "sendMessage", json!({"chat_id": 5, "text": "kept"}));
    assert_eq!(status, 200);

    tg.delay("getMe", 1, Duration::from_millis(300));
    let started = Instant::now();
    let (status, body) = post_json(&url, "getMe", json!({}));
    assert_eq!(status, 200);
    assert_eq!(body["result"]["username"], "factbot_test_bot");
    assert!(started.elapsed() >= Duration::from_millis(300));

    let a = tg.push_update(private_text(7, "first"));
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": 0}));
    assert_eq!(body["result"].as_array().unwrap().len(), 1);
    let b = tg.push_update(private_text(7, "second"));
    tg.redeliver(a);
    // `a` is confirmed by this offset, yet comes again, before `b`.
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": a + 1}));
    let ids: Vec<i64> = body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![a, b]);
    assert_eq!(tg.redelivered(), 1);
    let (_, body) = post_json(&url, "getUpdates", json!({"offset": b + 1, "timeout": 0}));
    assert!(body["result"].as_array().unwrap().is_empty());
}
