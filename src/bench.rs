//! Measurement of the real path: index build (corpus loading, extraction, tantivy), then
//! every query through the full `ask` pipeline, and the same queries as bare tantivy
//! searches on the same index (the ceiling). Used by `factbot bench`.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;

use crate::aliases::Aliases;
use crate::config::Config;
use crate::corpus::{Corpus, Document, Passage};
use crate::engine::Engine;
use crate::extract::DateOrder;
use crate::index::{Index, IndexError, Progress};

/// One line of a benchmark corpus (`{"id": .., "source": .., "text": ..}`).
#[derive(Debug, Deserialize)]
pub struct CorpusLine {
    #[serde(default)]
    pub id: serde_json::Value,
    #[serde(default)]
    pub source: Option<String>,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("no queries to run")]
    NoQueries,
    #[error("bare tantivy indexing failed: {0}")]
    Bare(String),
    #[error("serving measurement failed: {0}")]
    Serve(String),
}

/// Reads a JSON Lines corpus: each line becomes a one-passage document.
pub fn read_corpus(path: &Path) -> Result<Corpus, BenchError> {
    let text = std::fs::read_to_string(path).map_err(|source| BenchError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut corpus = Corpus::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec: CorpusLine = serde_json::from_str(line).map_err(|e| BenchError::Parse {
            path: path.display().to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        let id = match &rec.id {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => i.to_string(),
            v => v.to_string(),
        };
        let title = rec.source.clone().unwrap_or_else(|| "passage".into());
        corpus.documents.push(Document {
            file: format!("{title}/{id}"),
            title,
            date: None,
            source: None,
            passages: vec![Passage {
                position: 0,
                start: 0,
                end: rec.text.len(),
                text: rec.text,
            }],
        });
    }
    Ok(corpus)
}

/// Reads queries, one per line; a JSON line contributes its `question` field (so golden
/// question files work as query sets).
pub fn read_queries(path: &Path) -> Result<Vec<String>, BenchError> {
    let text = std::fs::read_to_string(path).map_err(|source| BenchError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if l.starts_with('{') {
                serde_json::from_str::<serde_json::Value>(l)
                    .ok()
                    .and_then(|v| v["question"].as_str().map(String::from))
                    .unwrap_or_else(|| l.to_string())
            } else {
                l.to_string()
            }
        })
        .collect())
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Latency {
    fn of(mut samples: Vec<f64>) -> Latency {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| -> f64 {
            if samples.is_empty() {
                return 0.0;
            }
            let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[i.min(samples.len() - 1)]
        };
        Latency {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

/// What one benchmark run measured. Index figures come from the building process;
/// serving figures from a fresh process that only opens the index and answers, so its
/// memory is what a server needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub passages: u64,
    pub facts: usize,
    pub text_bytes: usize,
    /// Fact extraction alone, in MB (10^6 bytes) of passage text per second.
    pub extraction_mb_per_second: f64,
    pub index_seconds: f64,
    pub passages_per_second: f64,
    /// tantivy alone indexing the same texts (one stemmed text field, same writer memory).
    pub bare_index_seconds: f64,
    pub index_bytes: u64,
    pub segments: usize,
    /// Peak RSS of the building process.
    pub build_peak_rss_bytes: u64,
    #[serde(flatten)]
    pub serve: ServeReport,
    /// The larger of the build and the serve peaks.
    pub peak_rss_bytes: u64,
}

/// What answering from a built index measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServeReport {
    pub open_ms: f64,
    pub queries: usize,
    pub answers_per_second: f64,
    pub latency_ms: Latency,
    pub bare_search_per_second: f64,
    pub bare_latency_ms: Latency,
    /// Threads of the parallel run, and the answers per second they gave together.
    pub threads: usize,
    pub answers_per_second_threads: f64,
    /// Peak RSS of the serving process (open, answer every query, all threads).
    pub serve_peak_rss_bytes: u64,
}

/// Peak resident set size of this process (Linux; 0 elsewhere).
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// The build half: extraction alone, bare tantivy indexing of the same text, then the
/// real index build into `dir`. Returns the report without serving figures.
pub fn build(
    corpus: Corpus,
    dir: &Path,
    aliases: &Aliases,
    progress: &dyn Progress,
) -> Result<Report, BenchError> {
    // Extraction alone, over every passage, as indexing runs it; its regexes are compiled
    // first, so a small corpus measures extraction, not compilation.
    let warm = crate::extract::FactContext {
        published: None,
        aliases,
        title: "",
        date_order: DateOrder::default(),
        lead_period: None,
    };
    std::hint::black_box(crate::extract::extract_facts(
        "On 1 January 2000 trade in H1 2000 was $1 million, 1% more than last year.",
        &warm,
    ));
    let t = Instant::now();
    let mut text_bytes = 0usize;
    for d in &corpus.documents {
        let ctx = crate::extract::FactContext {
            published: d.date,
            aliases,
            title: &d.title,
            date_order: DateOrder::default(),
            lead_period: crate::extract::lead_period(match d.passages.as_slice() {
                [lead, _, ..] => lead.text.as_str(),
                _ => "",
            }),
        };
        for p in &d.passages {
            text_bytes += p.text.len();
            std::hint::black_box(crate::extract::extract_facts(&p.text, &ctx));
        }
    }
    let extraction_seconds = t.elapsed().as_secs_f64();
    let bare_index_seconds = bare_index(&corpus)?;
    let t = Instant::now();
    let index = Index::build_into(
        dir,
        corpus,
        "bench".into(),
        aliases,
        DateOrder::default(),
        progress,
    )?;
    let index_seconds = t.elapsed().as_secs_f64();
    let passages = index.passages();
    Ok(Report {
        passages,
        facts: index.meta.facts.len(),
        text_bytes,
        extraction_mb_per_second: text_bytes as f64 / 1e6 / extraction_seconds.max(1e-9),
        index_seconds,
        passages_per_second: passages as f64 / index_seconds.max(1e-9),
        bare_index_seconds,
        index_bytes: index.disk_bytes(),
        segments: index.reader.searcher().segment_readers().len(),
        build_peak_rss_bytes: peak_rss_bytes(),
        serve: ServeReport::default(),
        peak_rss_bytes: 0,
    })
}

impl Default for ServeReport {
    fn default() -> Self {
        let zero = Latency::of(Vec::new());
        ServeReport {
            open_ms: 0.0,
            queries: 0,
            answers_per_second: 0.0,
            latency_ms: zero.clone(),
            bare_search_per_second: 0.0,
            bare_latency_ms: zero,
            threads: 1,
            answers_per_second_threads: 0.0,
            serve_peak_rss_bytes: 0,
        }
    }
}

/// The serve half: opens the index in `dir` and answers `queries` `repeat` times through
/// the full `ask` pipeline on one thread, then as bare tantivy searches, then spread over
/// `threads` threads.
pub fn serve(
    dir: &Path,
    config: Config,
    aliases: Aliases,
    queries: &[String],
    repeat: usize,
    threads: usize,
    progress: &dyn Progress,
) -> Result<ServeReport, BenchError> {
    if queries.is_empty() {
        return Err(BenchError::NoQueries);
    }
    let t = Instant::now();
    let index = Index::open_generation_dir(dir)?;
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    let bare = bare_search(&index, queries, repeat);
    let engine = Engine::from_parts(index, aliases, config);
    progress.start((queries.len() * repeat) as u64);
    let mut samples = Vec::with_capacity(queries.len() * repeat);
    let t = Instant::now();
    for _ in 0..repeat {
        for q in queries {
            let s = Instant::now();
            std::hint::black_box(engine.ask(q));
            samples.push(s.elapsed().as_secs_f64() * 1000.0);
            progress.advance(1);
        }
    }
    let total = t.elapsed().as_secs_f64();
    progress.finish();
    let threads = threads.max(1);
    let answers_per_second_threads = if threads == 1 {
        samples.len() as f64 / total.max(1e-9)
    } else {
        let t = Instant::now();
        std::thread::scope(|s| {
            for k in 0..threads {
                let engine = &engine;
                s.spawn(move || {
                    for _ in 0..repeat {
                        for q in queries.iter().skip(k).step_by(threads) {
                            std::hint::black_box(engine.ask(q));
                        }
                    }
                });
            }
        });
        (queries.len() * repeat) as f64 / t.elapsed().as_secs_f64().max(1e-9)
    };
    Ok(ServeReport {
        open_ms,
        queries: samples.len(),
        answers_per_second: samples.len() as f64 / total.max(1e-9),
        latency_ms: Latency::of(samples),
        bare_search_per_second: bare.0,
        bare_latency_ms: bare.1,
        threads,
        answers_per_second_threads,
        serve_peak_rss_bytes: peak_rss_bytes(),
    })
}

/// tantivy alone indexing the same passages: one text field with tantivy's built-in
/// `en_stem` analyzer, the same writer memory, no extraction, in a scratch folder.
fn bare_index(corpus: &Corpus) -> Result<f64, BenchError> {
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    let scratch = tempfile::tempdir().map_err(|source| BenchError::Read {
        path: "temporary folder".into(),
        source,
    })?;
    let tv = |e: tantivy::TantivyError| BenchError::Bare(e.to_string());
    let mut sb = Schema::builder();
    let text = sb.add_text_field(
        "text",
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let t = Instant::now();
    // "en_stem" is tantivy's own built-in English analyzer, as tantivy-py uses it.
    let index = tantivy::Index::create_in_dir(scratch.path(), sb.build()).map_err(tv)?;
    let mut writer: tantivy::IndexWriter = index.writer(crate::index::WRITER_MEMORY).map_err(tv)?;
    for d in &corpus.documents {
        for p in &d.passages {
            writer
                .add_document(tantivy::doc!(text => p.text.as_str()))
                .map_err(tv)?;
        }
    }
    writer.commit().map_err(tv)?;
    writer.wait_merging_threads().map_err(tv)?;
    Ok(t.elapsed().as_secs_f64())
}

/// tantivy's own query parser over the text field, top 10, no snippets: the ceiling.
fn bare_search(index: &Index, queries: &[String], repeat: usize) -> (f64, Latency) {
    let searcher = index.reader.searcher();
    // Any-word match, as the peers are measured.
    let parser = QueryParser::for_index(&index.tantivy, vec![index.fields.text]);
    let mut samples = Vec::with_capacity(queries.len() * repeat);
    let t = Instant::now();
    for _ in 0..repeat {
        for q in queries {
            let s = Instant::now();
            let (query, _) = parser.parse_query_lenient(q);
            let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score());
            std::hint::black_box(&top);
            samples.push(s.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let total = t.elapsed().as_secs_f64();
    (samples.len() as f64 / total.max(1e-9), Latency::of(samples))
}

/// The report as a table for people.
pub fn table(r: &Report) -> String {
    let mb = |b: u64| b as f64 / 1_048_576.0;
    let s = &r.serve;
    format!(
        "passages            {}\n\
         facts               {}\n\
         extraction          {:.2} MB/s of text ({:.1} MB)\n\
         index build         {:.2} s ({:.0} passages/s), {} segments; bare tantivy {:.2} s ({:.2}x)\n\
         index size          {:.1} MiB\n\
         build peak RSS      {:.1} MiB\n\
         open index          {:.1} ms (fresh process)\n\
         queries             {}\n\
         ask (full pipeline) {:.0} answers/s, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms\n\
         ask on {} thread(s) {:.0} answers/s in all\n\
         bare tantivy search {:.0} queries/s, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms\n\
         serve peak RSS      {:.1} MiB",
        r.passages,
        r.facts,
        r.extraction_mb_per_second,
        r.text_bytes as f64 / 1e6,
        r.index_seconds,
        r.passages_per_second,
        r.segments,
        r.bare_index_seconds,
        r.index_seconds / r.bare_index_seconds.max(1e-9),
        mb(r.index_bytes),
        mb(r.build_peak_rss_bytes),
        s.open_ms,
        s.queries,
        s.answers_per_second,
        s.latency_ms.p50,
        s.latency_ms.p95,
        s.latency_ms.p99,
        s.latency_ms.max,
        s.threads,
        s.answers_per_second_threads,
        s.bare_search_per_second,
        s.bare_latency_ms.p50,
        s.bare_latency_ms.p95,
        s.bare_latency_ms.p99,
        mb(s.serve_peak_rss_bytes),
    )
}
