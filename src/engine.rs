//! The answer engine: the one entry point the CLI and the bot use. It opens (or builds)
//! the index for a config and answers questions; it never fails on a question.

use crate::aliases::Aliases;
use crate::answer::table::FactTable;
use crate::answer::{self, Answer, Context, SourceRef};
use crate::config::Config;
use crate::index::{self, DocInfo, Index, IndexError, NoProgress, Progress, StoredFact};
use crate::question::{self, Question};
use crate::search::SearchOptions;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Aliases(#[from] crate::aliases::AliasError),
}

/// An open index and everything needed to answer from it.
pub struct Engine {
    index: Index,
    table: FactTable,
    aliases: Aliases,
    config: Config,
    /// The index was built (not just opened) when the engine was created.
    pub rebuilt: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("index", &self.index)
            .finish()
    }
}

impl Engine {
    /// Opens the index for `config`, building it first if it is missing or stale.
    pub fn open(config: Config) -> Result<Engine, EngineError> {
        Self::open_with_progress(config, &NoProgress)
    }

    pub fn open_with_progress(
        config: Config,
        progress: &dyn Progress,
    ) -> Result<Engine, EngineError> {
        let aliases = index::load_aliases(&config)?;
        let (index, rebuilt) = Index::open_or_build(&config, &aliases, progress)?;
        Ok(Engine {
            table: FactTable::build(&index.meta, &aliases),
            index,
            aliases,
            config,
            rebuilt,
        })
    }

    /// Builds a fresh index for `config` (even if the current one is up to date).
    pub fn rebuild(config: Config, progress: &dyn Progress) -> Result<Engine, EngineError> {
        let aliases = index::load_aliases(&config)?;
        let index = Index::build(&config, &aliases, progress)?;
        Ok(Engine {
            table: FactTable::build(&index.meta, &aliases),
            index,
            aliases,
            config,
            rebuilt: true,
        })
    }

    /// Wraps an index that is already open.
    pub fn from_parts(index: Index, aliases: Aliases, config: Config) -> Engine {
        Engine {
            table: FactTable::build(&index.meta, &aliases),
            index,
            aliases,
            config,
            rebuilt: false,
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            index: &self.index,
            table: &self.table,
            aliases: &self.aliases,
            search: SearchOptions {
                fuzzy: self.config.search.fuzzy,
                title_boost: self.config.search.title_boost,
            },
            results: self.config.search.results.max(1),
        }
    }

    /// Understands a question without answering it.
    pub fn understand(&self, question: &str) -> Question {
        question::parse(question, &self.aliases)
    }

    /// Answers a question. Never fails: a question that finds nothing gets an answer of
    /// kind `none` that says so.
    pub fn ask(&self, question: &str) -> Answer {
        let q = self.understand(question);
        answer::answer(&self.context(), &q)
    }

    /// Passages for a question after the first `offset` ("More").
    pub fn more(&self, question: &str, offset: usize) -> Answer {
        let mut q = self.understand(question);
        q.intent = question::Intent::Passage;
        answer::passages_page(&self.context(), &q, offset)
    }

    /// One whole passage ("Source").
    pub fn passage(&self, doc: usize, position: usize) -> Option<SourceRef> {
        let info = self.index.meta.documents.get(doc)?;
        let stored = self.index.passage(doc, position)?;
        Some(SourceRef {
            document: info.file.clone(),
            title: info.title.clone(),
            date: info.date.map(|d| d.to_string()),
            source: info.source.clone(),
            passage: position,
            snippet: stored.text.clone(),
            text: stored.text,
            highlights: Vec::new(),
            doc_index: doc,
        })
    }

    /// Index of a document by file name.
    pub fn document_index(&self, file: &str) -> Option<usize> {
        self.index
            .meta
            .documents
            .iter()
            .position(|d| d.file == file)
    }

    pub fn documents(&self) -> &[DocInfo] {
        &self.index.meta.documents
    }

    pub fn facts(&self) -> &[StoredFact] {
        &self.index.meta.facts
    }

    /// The JSON form of a stored fact.
    pub fn fact_json(&self, sf: &StoredFact) -> serde_json::Value {
        answer::fact_json(sf, &self.index)
    }

    /// Which rules decided a money fact's attributes, found by reading its passage again
    /// (`None` for a date, or when the passage is gone).
    pub fn explain(&self, sf: &StoredFact) -> Option<crate::extract::Explanation> {
        let crate::extract::Fact::Money(m) = &sf.fact else {
            return None;
        };
        let info = self.index.meta.documents.get(sf.doc)?;
        let stored = self.index.passage(sf.doc, sf.passage)?;
        let ctx = crate::extract::FactContext {
            published: info.date,
            aliases: &self.aliases,
            title: &info.title,
            date_order: self.config.extract.date_order,
            lead_period: self
                .index
                .passage(sf.doc, 0)
                .and_then(|p| crate::extract::lead_period(&p.text)),
        };
        crate::extract::extract_explained(&stored.text, &ctx)
            .into_iter()
            .find_map(|(f, why)| match f {
                crate::extract::Fact::Money(x) if x.start == m.start => why,
                crate::extract::Fact::Money(_) | crate::extract::Fact::Date(_) => None,
            })
    }

    /// Files skipped at build time, with the reason.
    pub fn skipped(&self) -> &[(String, String)] {
        &self.index.meta.skipped
    }

    /// The name of the index generation in service (`gen-...`), for logs and health checks.
    pub fn generation(&self) -> String {
        self.index
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.index.dir.display().to_string())
    }

    /// What the index was built from (documents, aliases, code), as [`index::source_fingerprint`]
    /// computes it: when that changes, the index is stale.
    pub fn fingerprint(&self) -> &str {
        &self.index.meta.fingerprint
    }

    pub fn passage_count(&self) -> u64 {
        self.index.passages()
    }

    pub fn index_bytes(&self) -> u64 {
        self.index.disk_bytes()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// Suggested questions the documents can answer.
    pub fn suggestions(&self, lang: question::Lang) -> Vec<String> {
        answer::suggestions(&self.context(), lang)
    }
}
