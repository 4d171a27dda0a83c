//! Indexing: builds the tantivy index of passages and the fact table from a corpus, keeps
//! it on disk, reopens it, and rebuilds it when the documents (or the alias data) change.
//!
//! Layout of the index folder:
//! - `gen-<id>/tantivy/`: the tantivy index of one build;
//! - `gen-<id>/meta.json`: what was indexed (documents, facts, fingerprint);
//! - `CURRENT`: the name of the generation in use, replaced atomically (write + rename)
//!   once a build is complete, so a build that dies half-way leaves the previous one
//!   serving.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};
use tantivy::{doc, Index as TantivyIndex, IndexReader, IndexWriter, ReloadPolicy};

use crate::aliases::Aliases;
use crate::config::Config;
use crate::corpus::{self, Corpus, Document, SplitOptions};
use crate::extract::{self, DateOrder, Fact, FactContext};
use crate::text;

/// Bumped whenever the schema, the analyzer or extraction changes what an index holds.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
    #[error("index error in {path}: {source}")]
    Tantivy {
        path: String,
        source: tantivy::TantivyError,
    },
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("index metadata in {path} is unreadable: {message}")]
    Meta { path: String, message: String },
    #[error("documents folder {0} does not exist")]
    NoDocuments(String),
}

fn io_err<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> IndexError + 'a {
    move |source| IndexError::Io {
        action,
        path: path.display().to_string(),
        source,
    }
}

fn tv_err(path: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy {
        path: path.display().to_string(),
        source,
    }
}

/// A document as the index remembers it (its passages live in tantivy).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocInfo {
    pub file: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub source: Option<String>,
    pub passages: usize,
}

/// A fact and where it was found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredFact {
    /// Index into [`IndexMeta::documents`].
    pub doc: usize,
    /// Passage position in the document.
    pub passage: usize,
    pub fact: Fact,
}

/// A passage read back from the index.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPassage {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Everything about a build that is not the tantivy index itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// Fingerprint of the documents folder and alias data at build time.
    pub fingerprint: String,
    pub documents: Vec<DocInfo>,
    pub facts: Vec<StoredFact>,
    /// Files that were skipped, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// The tantivy fields of a passage.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub doc: Field,
    pub position: Field,
    pub title: Field,
    pub text: Field,
    pub start: Field,
    pub end: Field,
}

fn schema() -> (Schema, Fields) {
    let mut sb = Schema::builder();
    // No positions: nothing searches phrases (highlighting re-tokenizes the shown text),
    // and positions are the largest and slowest part of an index to write and merge.
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(text::ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text_opts = TextOptions::default()
        .set_indexing_options(indexing.clone())
        .set_stored();
    let title_opts = TextOptions::default().set_indexing_options(indexing);
    let fields = Fields {
        doc: sb.add_u64_field("doc", STORED | FAST | INDEXED),
        position: sb.add_u64_field("position", STORED | FAST | INDEXED),
        title: sb.add_text_field("title", title_opts),
        text: sb.add_text_field("text", text_opts),
        start: sb.add_u64_field("start", STORED),
        end: sb.add_u64_field("end", STORED),
    };
    (sb.build(), fields)
}

/// An open, searchable index.
pub struct Index {
    pub tantivy: TantivyIndex,
    pub reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    /// The generation folder this index was opened from.
    pub dir: PathBuf,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .field("documents", &self.meta.documents.len())
            .field("facts", &self.meta.facts.len())
            .finish()
    }
}

/// Every fact of every passage of `corpus`, in document and passage order.
fn extract_all(corpus: &Corpus, aliases: &Aliases, date_order: DateOrder) -> Vec<StoredFact> {
    let mut facts = Vec::new();
    for (doc_idx, d) in corpus.documents.iter().enumerate() {
        let ctx = FactContext {
            published: d.date,
            aliases,
            title: &d.title,
            date_order,
            lead_period: extract::lead_period(match d.passages.as_slice() {
                [lead, _, ..] => lead.text.as_str(),
                _ => "",
            }),
        };
        for p in &d.passages {
            for fact in extract::extract_facts(&p.text, &ctx) {
                facts.push(StoredFact {
                    doc: doc_idx,
                    passage: p.position,
                    fact,
                });
            }
        }
    }
    facts
}

/// Memory the tantivy writer may use while building, shared by its indexing threads.
pub const WRITER_MEMORY: usize = 64_000_000;

/// Progress reports while building, for a progress bar.
pub trait Progress {
    fn start(&self, _total_passages: u64) {}
    fn advance(&self, _passages: u64) {}
    fn finish(&self) {}
}

/// Reports nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Fingerprint of what an index is built from: the documents, the alias data, the schema.
pub fn source_fingerprint(config: &Config) -> Result<String, IndexError> {
    if !config.documents.is_dir() {
        return Err(IndexError::NoDocuments(
            config.documents.display().to_string(),
        ));
    }
    let docs = corpus::fingerprint(&config.documents)?;
    let aliases = fs::read(&config.aliases).unwrap_or_default();
    Ok(format!(
        "v{SCHEMA_VERSION}-{}\nwords={}\ndates={:?}\naliases={:016x}\n{docs}",
        env!("FACTBOT_SOURCE_HASH"),
        config.search.max_passage_words,
        config.extract.date_order,
        fnv1a(&aliases)
    ))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Loads the alias table the config names, or the built-in one when the file is absent.
pub fn load_aliases(config: &Config) -> Result<Aliases, crate::aliases::AliasError> {
    if config.aliases.is_file() {
        Aliases::load(&config.aliases)
    } else {
        Ok(Aliases::builtin())
    }
}

impl Index {
    /// Opens the current index if it exists and matches the documents; otherwise builds it.
    /// Returns the index and whether it was (re)built.
    pub fn open_or_build(
        config: &Config,
        aliases: &Aliases,
        progress: &dyn Progress,
    ) -> Result<(Index, bool), IndexError> {
        let fp = source_fingerprint(config)?;
        let stale = match Self::open_current(&config.index) {
            Ok(Some(idx)) if idx.meta.fingerprint == fp => return Ok((idx, false)),
            Ok(Some(idx)) => {
                log::info!("documents changed since the index was built; rebuilding");
                Some(idx)
            }
            Ok(None) => {
                log::info!("no index yet in {}; building it", config.index.display());
                None
            }
            Err(e) => {
                log::warn!("index unusable ({e}); rebuilding it");
                None
            }
        };
        match (Self::build(config, aliases, progress), stale) {
            (Ok(index), _) => Ok((index, true)),
            // A full disk or a read-only folder must not silence the bot: the index from
            // before the documents changed still answers.
            (Err(e), Some(previous)) => {
                log::error!("cannot rebuild the index ({e}); answering from the previous one");
                Ok((previous, false))
            }
            (Err(e), None) => Err(e),
        }
    }

    /// Opens the generation named by `CURRENT`, if any.
    pub fn open_current(root: &Path) -> Result<Option<Index>, IndexError> {
        let current = root.join("CURRENT");
        let name = match fs::read_to_string(&current) {
            Ok(n) => n.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("read", &current)(e)),
        };
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(IndexError::Meta {
                path: current.display().to_string(),
                message: "CURRENT names no generation".into(),
            });
        }
        Self::open_generation_dir(&root.join(name)).map(Some)
    }

    /// Opens one generation folder (as written by [`Index::build_into`]).
    pub fn open_generation_dir(dir: &Path) -> Result<Index, IndexError> {
        let meta_path = dir.join("meta.json");
        let bytes = fs::read(&meta_path).map_err(io_err("read", &meta_path))?;
        let meta: IndexMeta = serde_json::from_slice(&bytes).map_err(|e| IndexError::Meta {
            path: meta_path.display().to_string(),
            message: e.to_string(),
        })?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(IndexError::Meta {
                path: meta_path.display().to_string(),
                message: format!(
                    "built by schema version {}, this is {SCHEMA_VERSION}",
                    meta.schema_version
                ),
            });
        }
        let tdir = dir.join("tantivy");
        let mmap =
            tantivy::directory::MmapDirectory::open(&tdir).map_err(|e| tv_err(&tdir)(e.into()))?;
        let tantivy = TantivyIndex::open(ReadableDirectory(mmap)).map_err(tv_err(&tdir))?;
        Self::finish_open(tantivy, meta, dir.to_path_buf())
    }

    fn finish_open(
        tantivy: TantivyIndex,
        meta: IndexMeta,
        dir: PathBuf,
    ) -> Result<Index, IndexError> {
        tantivy
            .tokenizers()
            .register(text::ANALYZER_NAME, text::analyzer());
        let (_, fields) = schema();
        let reader = tantivy
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // Passages of one answer often share store blocks; keep some decompressed.
            .doc_store_cache_num_blocks(64)
            .try_into()
            .map_err(tv_err(&dir))?;
        Ok(Index {
            tantivy,
            reader,
            fields,
            meta,
            dir,
        })
    }

    /// Builds a new generation from the documents folder and makes it current.
    pub fn build(
        config: &Config,
        aliases: &Aliases,
        progress: &dyn Progress,
    ) -> Result<Index, IndexError> {
        let fingerprint = source_fingerprint(config)?;
        let corpus = corpus::load_dir(
            &config.documents,
            SplitOptions {
                max_passage_words: config.search.max_passage_words,
                max_file_bytes: config.search.max_document_bytes,
            },
        )?;
        for s in &corpus.skipped {
            log::warn!("skipped document {}: {}", s.file, s.reason);
        }
        fs::create_dir_all(&config.index).map_err(io_err("create", &config.index))?;
        let gen_name = format!(
            "gen-{}-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
            std::process::id()
        );
        let dir = config.index.join(&gen_name);
        let tdir = dir.join("tantivy");
        fs::create_dir_all(&tdir).map_err(io_err("create", &tdir))?;
        let order = config.extract.date_order;
        let result = Self::build_into(&dir, corpus, fingerprint, aliases, order, progress);
        let index = match result {
            Ok(i) => i,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        make_current(&config.index, &gen_name)?;
        remove_old_generations(&config.index, &gen_name);
        Ok(index)
    }

    /// Builds an index in `dir` from an already loaded corpus (no `CURRENT` pointer).
    pub fn build_into(
        dir: &Path,
        corpus: Corpus,
        fingerprint: String,
        aliases: &Aliases,
        date_order: DateOrder,
        progress: &dyn Progress,
    ) -> Result<Index, IndexError> {
        let tdir = dir.join("tantivy");
        fs::create_dir_all(&tdir).map_err(io_err("create", &tdir))?;
        let (schema, fields) = schema();
        // Small store blocks: showing a passage decompresses 4 KB, not tantivy's default 16.
        let settings = tantivy::IndexSettings {
            docstore_blocksize: 4096,
            ..Default::default()
        };
        let tantivy = TantivyIndex::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(&tdir)
            .map_err(tv_err(&tdir))?;
        tantivy
            .tokenizers()
            .register(text::ANALYZER_NAME, text::analyzer());
        let mut writer: IndexWriter = tantivy.writer(WRITER_MEMORY).map_err(tv_err(&tdir))?;
        // All segments are merged once at the end; background merges meanwhile would only
        // redo work, and would hold segments the final merge needs.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let total: u64 = corpus
            .documents
            .iter()
            .map(|d| d.passages.len() as u64)
            .sum();
        progress.start(total);
        let documents: Vec<DocInfo> = corpus.documents.iter().map(doc_info).collect();
        // Facts are extracted on their own thread while tantivy indexes: the two do not
        // depend on each other and cost about the same CPU.
        let started = std::time::Instant::now();
        let (facts, added) = std::thread::scope(|s| {
            let extractor = s.spawn(|| {
                let facts = extract_all(&corpus, aliases, date_order);
                log::debug!("facts extracted in {:.2?}", started.elapsed());
                facts
            });
            let added = (|| -> Result<(), IndexError> {
                for (doc_idx, d) in corpus.documents.iter().enumerate() {
                    for p in &d.passages {
                        writer
                            .add_document(doc!(
                                fields.doc => doc_idx as u64,
                                fields.position => p.position as u64,
                                fields.title => d.title.as_str(),
                                fields.text => p.text.as_str(),
                                fields.start => p.start as u64,
                                fields.end => p.end as u64,
                            ))
                            .map_err(tv_err(&tdir))?;
                    }
                    progress.advance(d.passages.len() as u64);
                }
                Ok(())
            })();
            // A panic in extraction is a bug; it surfaces as it would have inline.
            let facts = extractor
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (facts, added)
        });
        added?;
        log::debug!("passages handed to tantivy in {:.2?}", started.elapsed());
        writer.commit().map_err(tv_err(&tdir))?;
        log::debug!("committed at {:.2?}", started.elapsed());
        // One segment answers faster than several: every query term is looked up, and
        // every scorer set up, once per segment.
        let segments = tantivy.searchable_segment_ids().map_err(tv_err(&tdir))?;
        if segments.len() > 1 {
            writer.merge(&segments).wait().map_err(tv_err(&tdir))?;
        }
        writer.wait_merging_threads().map_err(tv_err(&tdir))?;
        log::debug!("merged into one segment at {:.2?}", started.elapsed());
        progress.finish();
        let meta = IndexMeta {
            schema_version: SCHEMA_VERSION,
            fingerprint,
            documents,
            facts,
            skipped: corpus
                .skipped
                .iter()
                .map(|s| (s.file.clone(), s.reason.to_string()))
                .collect(),
        };
        write_atomic(
            &dir.join("meta.json"),
            &serde_json::to_vec(&meta).map_err(|e| IndexError::Meta {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?,
        )?;
        Self::finish_open(tantivy, meta, dir.to_path_buf())
    }

    /// Number of passages in the index.
    pub fn passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The stored text and byte range of one passage.
    pub fn passage(&self, doc: usize, position: usize) -> Option<StoredPassage> {
        use tantivy::collector::TopDocs;
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        use tantivy::schema::Value;
        use tantivy::{TantivyDocument, Term};
        let searcher = self.reader.searcher();
        let q = |field, v: usize| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(field, v as u64),
                    IndexRecordOption::Basic,
                )),
            )
        };
        let query = BooleanQuery::new(vec![
            q(self.fields.doc, doc),
            q(self.fields.position, position),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, addr) = top.first()?;
        let d: TantivyDocument = searcher.doc(*addr).ok()?;
        let u = |f| d.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        Some(StoredPassage {
            text: d.get_first(self.fields.text)?.as_str()?.to_string(),
            start: u(self.fields.start),
            end: u(self.fields.end),
        })
    }

    /// Size of the generation folder on disk, in bytes.
    pub fn disk_bytes(&self) -> u64 {
        dir_size(&self.dir)
    }
}

fn doc_info(d: &Document) -> DocInfo {
    DocInfo {
        file: d.file.clone(),
        title: d.title.clone(),
        date: d.date,
        source: d.source.clone(),
        passages: d.passages.len(),
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    {
        let mut f = fs::File::create(&tmp).map_err(io_err("create", &tmp))?;
        f.write_all(bytes).map_err(io_err("write", &tmp))?;
        f.sync_all().map_err(io_err("sync", &tmp))?;
    }
    fs::rename(&tmp, path).map_err(io_err("rename", &tmp))
}

fn make_current(root: &Path, gen_name: &str) -> Result<(), IndexError> {
    write_atomic(&root.join("CURRENT"), gen_name.as_bytes())
}

/// Removes what a build leaves behind, keeping the current generation, the newest other
/// complete one (a process that opened it may still be reading it) and any generation a
/// live process is still building. A complete generation has its `meta.json`, written last;
/// a half-built one from a killed build is removed and never kept in place of the last
/// good one. Stale `CURRENT.tmp-<pid>` pointers of killed builds go too.
fn remove_old_generations(root: &Path, current: &str) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let mut complete: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    let mut doomed: Vec<PathBuf> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("CURRENT.tmp-") {
            if !is_other_live_process(pid) {
                doomed.push(e.path());
            }
            continue;
        }
        if !name.starts_with("gen-") || name == current {
            continue;
        }
        if e.path().join("meta.json").is_file() {
            if let Some(modified) = e.metadata().ok().and_then(|m| m.modified().ok()) {
                complete.push((modified, e.path()));
            }
        } else if !name.rsplit('-').next().is_some_and(is_other_live_process) {
            doomed.push(e.path());
        }
    }
    complete.sort();
    complete.pop();
    doomed.extend(complete.into_iter().map(|(_, p)| p));
    for path in doomed {
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if let Err(e) = removed {
            log::debug!("could not remove old index {}: {e}", path.display());
        }
    }
}

/// True when `pid` names a running process other than this one (Linux; elsewhere a build
/// in progress cannot be told from a killed one, and is kept).
fn is_other_live_process(pid: &str) -> bool {
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

/// A finished generation's tantivy folder, opened for reading. Tantivy's reader takes a
/// lock file while it reads `meta.json`; where the folder may not be written (a read-only
/// mount, another user's index) that lock cannot be created, and since nothing can write
/// there either, reading goes on without it.
#[derive(Debug, Clone)]
struct ReadableDirectory(tantivy::directory::MmapDirectory);

impl tantivy::directory::Directory for ReadableDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(
        &self,
        lock: &tantivy::directory::Lock,
    ) -> Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        use std::io::ErrorKind;
        use tantivy::directory::error::LockError;
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if matches!(
                    e.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                log::debug!(
                    "index folder is read-only; reading without {:?}",
                    lock.filepath
                );
                Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(
        &self,
        callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_date_order_rebuilds_the_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config {
            documents: dir.path().to_path_buf(),
            ..Config::default()
        };
        let dmy = source_fingerprint(&config).expect("fingerprint");
        config.extract.date_order = crate::extract::DateOrder::Mdy;
        assert_ne!(dmy, source_fingerprint(&config).expect("fingerprint"));
    }

    fn generation(root: &Path, name: &str, complete: bool) {
        let dir = root.join(name);
        fs::create_dir_all(dir.join("tantivy")).expect("create generation");
        if complete {
            fs::write(dir.join("meta.json"), "{}").expect("write meta");
        }
        // Distinct modification times, in creation order.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    #[test]
    fn cleanup_keeps_the_last_complete_generation_over_a_killed_build() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        // No process has pid 4294967295: these builds were killed.
        generation(root, "gen-1-4294967295", true);
        generation(root, "gen-2-4294967295", true);
        generation(root, "gen-3-4294967295", false);
        // pid 1 is alive: a build in progress in another process.
        generation(root, "gen-4-1", false);
        generation(root, "gen-5-4294967295", true);
        fs::write(root.join("CURRENT.tmp-4294967295"), "gen-3").expect("stale pointer");
        remove_old_generations(root, "gen-5-4294967295");
        let mut left: Vec<String> = fs::read_dir(root)
            .expect("read root")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["gen-2-4294967295", "gen-4-1", "gen-5-4294967295"]);
    }
}
