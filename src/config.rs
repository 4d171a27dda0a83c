//! Configuration: a serde struct with defaults, read from `config.toml`. Relative paths
//! are resolved against the folder of the config file, so `--config elsewhere/config.toml`
//! works from any working directory. CLI flags override what the file says.

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
            listen: "127.0.0.1:8443".into(),
            webhook_secret_env: "FACTBOT_WEBHOOK_SECRET".into(),
            allowed_chats: Vec::new(),
            allowed_users: Vec::new(),
            admins: Vec::new(),
            user_rate_per_minute: 20,
            group_messages_per_minute: 20,
            supergroup_messages_per_minute: 20,
            throttle: true,
        }
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
        let base = path.parent().unwrap_or(Path::new(""));
        cfg.documents = base.join(&cfg.documents);
        cfg.index = base.join(&cfg.index);
        cfg.aliases = base.join(&cfg.aliases);
        Ok(cfg)
    }

    /// Reads `path` if given, else `./config.toml` if present, else the defaults.
    pub fn discover(path: Option<&Path>) -> Result<Self, ConfigError> {
        match path {
            Some(p) => Self::load(p),
            None if Path::new("config.toml").is_file() => Self::load(Path::new("config.toml")),
            None => Ok(Config::default()),
        }
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
