//! Configuration: a serde struct with defaults, read from `config.toml`, and where that
//! file is found (`--config`, then `FACTBOT_CONFIG`, then `./config.toml`). Relative paths
//! are resolved against the folder of the config file, so the binary works from any
//! working directory. Values the file can get wrong are checked when it loads, each with
//! one line that says what to set. CLI flags override what the file says.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: String, message: String },
    /// A value that parses but cannot work; `message` says what to set.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The environment variable that names the config file when `--config` is not given.
pub const CONFIG_ENV: &str = "FACTBOT_CONFIG";

/// Where the configuration came from, for messages that tell the user what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--config FILE`.
    Flag(PathBuf),
    /// The file `FACTBOT_CONFIG` names.
    Env(PathBuf),
    /// `./config.toml`.
    WorkingDir(PathBuf),
    /// No file: every default.
    Defaults,
}

impl Origin {
    /// The config file, if there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::Flag(p) | Origin::Env(p) | Origin::WorkingDir(p) => Some(p),
            Origin::Defaults => None,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(p) => write!(f, "{} (--config)", p.display()),
            Origin::Env(p) => write!(f, "{} ({CONFIG_ENV})", p.display()),
            Origin::WorkingDir(p) => write!(f, "{}", p.display()),
            Origin::Defaults => f.write_str("no config file"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder of documents to index.
    pub documents: PathBuf,
    /// Folder where the built index is kept.
    pub index: PathBuf,
    /// Alias data (country names, synonyms). Missing file: the built-in table.
    pub aliases: PathBuf,
    pub search: SearchConfig,
    pub extract: ExtractConfig,
    pub telegram: TelegramConfig,
}

/// How documents are read for figures and dates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExtractConfig {
    /// Day and month order of all-digit dates whose fields do not settle it ("03/04/2015").
    pub date_order: crate::extract::DateOrder,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Passages shown for a passage answer (the best one and the rest).
    pub results: usize,
    /// Paragraphs longer than this many words are split at sentence boundaries.
    pub max_passage_words: usize,
    /// Look for near spellings of words the corpus does not contain.
    pub fuzzy: bool,
    /// How much more a match in the title counts than one in the text.
    pub title_boost: f32,
    /// Documents larger than this many bytes are skipped with a warning.
    pub max_document_bytes: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramConfig {
    /// Bot API base URL. `TELOXIDE_API_URL` overrides it.
    pub api_url: Option<String>,
    /// "polling" or "webhook".
    pub mode: String,
    /// Public URL Telegram posts updates to (webhook mode).
    pub webhook_url: Option<String>,
    /// Address the webhook server listens on.
    pub listen: String,
    /// Name of the environment variable holding the webhook secret token.
    pub webhook_secret_env: String,
    /// Chats allowed to use the bot (empty: all).
    pub allowed_chats: Vec<i64>,
    /// Users allowed to use the bot (empty: all).
    pub allowed_users: Vec<i64>,
    /// Users who may run /reindex.
    pub admins: Vec<i64>,
    /// Questions one user may ask per minute.
    pub user_rate_per_minute: u32,
    /// Messages the bot may send in one basic group per minute.
    pub group_messages_per_minute: u32,
    /// Messages the bot may send in one supergroup per minute.
    pub supergroup_messages_per_minute: u32,
    /// Use teloxide's Throttle to stay under Telegram's limits.
    pub throttle: bool,
    /// Webhook mode: delete the webhook when the bot stops (off: other copies keep
    /// receiving updates).
    pub delete_webhook_on_stop: bool,
    /// Look for changed documents (and alias data) while the bot runs, and swap in a new
    /// index when they change.
    pub watch_documents: bool,
    /// How often to look, in seconds. A change is built once it has held still for one
    /// interval, so a folder still being copied is not indexed half-way.
    pub watch_interval_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            documents: PathBuf::from("index/documents"),
            index: PathBuf::from("index/built"),
            aliases: PathBuf::from("index/aliases.toml"),
            search: SearchConfig::default(),
            extract: ExtractConfig::default(),
            telegram: TelegramConfig::default(),
        }
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            results: 4,
            max_passage_words: 200,
            fuzzy: true,
            title_boost: 1.5,
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Default for TelegramConfig {
    fn default() -> Self {
        TelegramConfig {
            api_url: None,
            mode: "polling".into(),
            webhook_url: None,
            listen: "127.0.0.1:8081".into(),
            webhook_secret_env: "FACTBOT_WEBHOOK_SECRET".into(),
            allowed_chats: Vec::new(),
            allowed_users: Vec::new(),
            admins: Vec::new(),
            user_rate_per_minute: 20,
            group_messages_per_minute: 20,
            supergroup_messages_per_minute: 20,
            throttle: true,
            delete_webhook_on_stop: false,
            watch_documents: true,
            watch_interval_seconds: 5,
        }
    }
}

/// The path Telegram's webhook requests must not take: it answers load balancers.
pub const HEALTH_PATH: &str = "/healthz";

impl TelegramConfig {
    /// What the file can get wrong about the bot; the message says what to set. The
    /// secret and the token live in the environment and are checked when the bot starts.
    pub fn check(&self) -> Result<(), String> {
        if self.mode != "polling" && self.mode != "webhook" {
            return Err(format!(
                "telegram.mode must be \"polling\" or \"webhook\", not {:?}",
                self.mode
            ));
        }
        if self.watch_documents && self.watch_interval_seconds == 0 {
            return Err("telegram.watch_interval_seconds must be at least 1 (or set telegram.watch_documents = false)".into());
        }
        if self.mode == "webhook" {
            self.webhook_url()?;
            self.listen_addr()?;
            check_env_name(&self.webhook_secret_env)?;
        }
        Ok(())
    }

    /// The public URL Telegram posts to, checked.
    pub fn webhook_url(&self) -> Result<url::Url, String> {
        let raw = self.webhook_url.as_deref().map(str::trim).unwrap_or("");
        if raw.is_empty() {
            return Err("webhook mode needs telegram.webhook_url: the public https URL Telegram posts updates to, e.g. \"https://bot.example.org/telegram\"".into());
        }
        let url = url::Url::parse(raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
            .ok_or_else(|| format!("telegram.webhook_url {raw:?} is not an https URL: set it to the public address Telegram posts to, e.g. \"https://bot.example.org/telegram\""))?;
        if url.path() == HEALTH_PATH {
            return Err(format!("telegram.webhook_url must not use the path {HEALTH_PATH}, which answers health checks: pick another, e.g. /telegram"));
        }
        Ok(url)
    }

    /// The local address the webhook server listens on, checked.
    pub fn listen_addr(&self) -> Result<std::net::SocketAddr, String> {
        let addr: std::net::SocketAddr = self.listen.trim().parse().map_err(|_| {
            format!(
                "telegram.listen {:?} is not an address: set it to IP:PORT, e.g. \"127.0.0.1:8081\"",
                self.listen
            )
        })?;
        if addr.port() == 0 {
            return Err(format!("telegram.listen {:?} needs a fixed port (the proxy in front must know where to send updates), e.g. \"127.0.0.1:8081\"", self.listen));
        }
        Ok(addr)
    }
}

/// An environment variable name as shells and systemd write them.
fn check_env_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!("telegram.webhook_secret_env must name an environment variable (letters, digits and _), e.g. \"FACTBOT_WEBHOOK_SECRET\", not {name:?}"))
    }
}

impl Config {
    /// Reads a config file; relative paths in it are taken from the file's folder.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let mut cfg: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        cfg.telegram
            .check()
            .map_err(|message| ConfigError::Invalid {
                path: path.display().to_string(),
                message,
            })?;
        let base = path.parent().unwrap_or(Path::new(""));
        cfg.documents = base.join(&cfg.documents);
        cfg.index = base.join(&cfg.index);
        cfg.aliases = base.join(&cfg.aliases);
        Ok(cfg)
    }

    /// Finds and reads the configuration: `flag` (`--config`) if given, else the file
    /// `FACTBOT_CONFIG` names, else `./config.toml` if present, else the defaults.
    pub fn discover(flag: Option<&Path>) -> Result<(Self, Origin), ConfigError> {
        let env = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty());
        let origin = match (flag, env) {
            (Some(p), _) => Origin::Flag(p.to_path_buf()),
            (None, Some(e)) => Origin::Env(PathBuf::from(e)),
            (None, None) if Path::new("config.toml").is_file() => {
                Origin::WorkingDir(PathBuf::from("config.toml"))
            }
            (None, None) => Origin::Defaults,
        };
        let cfg = match origin.path() {
            Some(p) => Self::load(p)?,
            None => Config::default(),
        };
        Ok((cfg, origin))
    }

    /// Config for a documents folder and an index folder, with every other default.
    pub fn for_dirs(documents: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        Config {
            documents: documents.into(),
            index: index.into(),
            ..Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_config_parses_and_matches_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml");
        let cfg = Config::load(&path).expect("config.toml parses");
        let d = Config::default();
        assert!(cfg.documents.ends_with(&d.documents));
        assert!(cfg.index.ends_with(&d.index));
        assert_eq!(cfg.search.results, d.search.results);
        assert_eq!(cfg.search.max_passage_words, d.search.max_passage_words);
        assert_eq!(cfg.telegram.mode, d.telegram.mode);
        assert_eq!(cfg.extract.date_order, d.extract.date_order);
        assert_eq!(
            cfg.telegram.group_messages_per_minute,
            d.telegram.group_messages_per_minute
        );
        assert_eq!(
            cfg.telegram.supergroup_messages_per_minute,
            d.telegram.supergroup_messages_per_minute
        );
        assert_eq!(cfg.telegram.listen, d.telegram.listen);
        assert_eq!(
            cfg.telegram.delete_webhook_on_stop,
            d.telegram.delete_webhook_on_stop
        );
        assert_eq!(cfg.telegram.watch_documents, d.telegram.watch_documents);
        assert_eq!(
            cfg.telegram.watch_interval_seconds,
            d.telegram.watch_interval_seconds
        );
    }

    fn webhook(extra: &str) -> Result<(), String> {
        let cfg: Config = toml::from_str(&format!(
            "[telegram]\nmode = \"webhook\"\nwebhook_url = \"https://bot.example.org/telegram\"\n{extra}"
        ))
        .map_err(|e| e.to_string())?;
        cfg.telegram.check()
    }

    #[test]
    fn a_usable_webhook_config_passes() {
        assert_eq!(webhook(""), Ok(()));
        assert_eq!(webhook("listen = \"[::1]:8081\""), Ok(()));
        assert_eq!(TelegramConfig::default().check(), Ok(()));
    }

    /// Issue 15: an unusable listen address or URL stopped the bot late, or panicked.
    #[test]
    fn unusable_webhook_settings_say_what_to_set() {
        let cases = [
            ("listen = \"localhost\"", "telegram.listen"),
            ("listen = \"127.0.0.1:0\"", "fixed port"),
            ("listen = \"\"", "IP:PORT"),
            ("webhook_url = \"\"", "needs telegram.webhook_url"),
            (
                "webhook_url = \"bot.example.org/telegram\"",
                "not an https URL",
            ),
            (
                "webhook_url = \"ftp://bot.example.org/x\"",
                "not an https URL",
            ),
            (
                "webhook_url = \"https://bot.example.org/healthz\"",
                "/healthz",
            ),
            ("webhook_secret_env = \"MY SECRET\"", "environment variable"),
            ("webhook_secret_env = \"\"", "environment variable"),
        ];
        for (extra, said) in cases {
            // TOML refuses a key given twice: the usual URL only where the case sets none.
            let text = format!("[telegram]\nmode = \"webhook\"\n{extra}\n");
            let text = if extra.starts_with("webhook_url") {
                text
            } else {
                format!("{text}webhook_url = \"https://bot.example.org/telegram\"\n")
            };
            let cfg: Config = toml::from_str(&text).expect(extra);
            let e = cfg.telegram.check().expect_err(extra);
            assert!(e.contains(said), "{extra}: {e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }

    #[test]
    fn mode_and_watch_interval_are_checked_in_any_mode() {
        let mut t = TelegramConfig {
            mode: "webhok".into(),
            ..TelegramConfig::default()
        };
        assert!(t
            .check()
            .unwrap_err()
            .contains("\"polling\" or \"webhook\""));
        t.mode = "polling".into();
        t.watch_interval_seconds = 0;
        assert!(t.check().unwrap_err().contains("watch_interval_seconds"));
        t.watch_documents = false;
        assert_eq!(t.check(), Ok(()));
    }

    #[test]
    fn loading_reports_an_unusable_value_with_the_file_name() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[telegram]\nmode = \"webhook\"\n").expect("write");
        let e = Config::load(&path).unwrap_err();
        assert!(matches!(e, ConfigError::Invalid { .. }), "{e}");
        let said = e.to_string();
        assert!(
            said.contains("config.toml") && said.contains("webhook_url"),
            "{said}"
        );
    }

    #[test]
    fn date_order_is_read_and_checked() {
        let cfg: Config = toml::from_str("[extract]\ndate_order = \"mdy\"").expect("mdy");
        assert_eq!(cfg.extract.date_order, crate::extract::DateOrder::Mdy);
        assert!(toml::from_str::<Config>("[extract]\ndate_order = \"ymd\"").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let e = toml::from_str::<Config>("documnets = \"x\"").unwrap_err();
        assert!(e.to_string().contains("documnets"));
    }
}
