//! The `factbot` command line: parses flags, loads the config and dispatches to the
//! library. No search or answer logic lives here.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use factbot::config::{Config, ConfigError, Origin};
use factbot::engine::Engine;
use factbot::extract;
use factbot::index::Progress;
use factbot::render::{self, Marks};

#[derive(Parser, Debug)]
#[command(
    name = "factbot",
    version,
    about = "Answers questions from a folder of documents"
)]
struct Cli {
    /// Config file (default: the file FACTBOT_CONFIG names, else ./config.toml when
    /// present, else built-in defaults).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Documents folder (overrides the config).
    #[arg(long, global = true)]
    documents: Option<PathBuf>,
    /// Index folder (overrides the config).
    #[arg(long, global = true)]
    index: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Answer a question; with no QUESTION, answer one question per line from stdin.
    Ask {
        /// Print one JSON object per answer.
        #[arg(long)]
        json: bool,
        /// Also write a PNG line chart of the answer's trade series to this file.
        #[arg(long, value_name = "PNG")]
        chart: Option<PathBuf>,
        /// The question (words are joined).
        question: Vec<String>,
    },
    /// Build the index now (it is also built on first use).
    Index,
    /// Serve Telegram (token from TELOXIDE_TOKEN; long polling or webhook per config).
    Run,
    /// Print the money, dates, percentages and periods found in text read from stdin.
    Extract {
        /// One JSON object per line (the default output is a table).
        #[arg(long)]
        json: bool,
        /// Publication date (YYYY-MM-DD) to resolve "last year" and dates without a year
        /// ("on 20 May") against.
        #[arg(long)]
        published: Option<chrono::NaiveDate>,
    },
    /// List every fact the index holds.
    Facts {
        #[arg(long)]
        json: bool,
        /// Say which rule decided each attribute of a money fact (year, measure, category,
        /// modality, parties, share).
        #[arg(long)]
        explain: bool,
    },
    /// Measure index build and answer latency on a corpus (the documents folder, or a
    /// JSON Lines file of passages) and a query set.
    Bench {
        /// JSON Lines corpus: {"id": .., "source": .., "text": ..} per line.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Queries, one per line (or a golden question file: its `question` fields).
        #[arg(long)]
        queries: PathBuf,
        /// Run the query set this many times.
        #[arg(long, default_value_t = 1)]
        repeat: usize,
        /// Also answer the queries spread over this many threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Build the index in this (new or empty) folder and keep it, instead of a
        /// temporary folder (for profiling `bench-serve` on it).
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Print one JSON object instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// The serving half of `bench`, run in a fresh process so its memory is a server's.
    #[command(hide = true)]
    BenchServe {
        #[arg(long)]
        generation: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long)]
        repeat: usize,
        #[arg(long)]
        threads: usize,
    },
}

/// Logs go to stderr at the level `RUST_LOG` sets. When a bot token is in the environment,
/// every log line and panic message is scrubbed of it, whatever a dependency logs.
fn init_logging() {
    let secrets: Vec<String> = std::env::var("TELOXIDE_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .map(|t| {
            let mut v = vec![t.clone()];
            if let Some((_, s)) = t.split_once(':') {
                if s.len() >= 8 {
                    v.push(s.to_string());
                }
            }
            v
        })
        .unwrap_or_default();
    let scrub = move |s: String| {
        secrets
            .iter()
            .fold(s, |acc, t| acc.replace(t.as_str(), "[token]"))
    };
    let log_scrub = scrub.clone();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .format(move |buf, record| {
            writeln!(
                buf,
                "[{} {:5} {}] {}",
                buf.timestamp(),
                record.level(),
                record.target(),
                log_scrub(record.args().to_string())
            )
        })
        .init();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "factbot stopped on an internal error: {}",
            scrub(info.to_string())
        );
    }));
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `factbot ask ... | head`: the reader left; that is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Something the user fixes in the configuration or the environment (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Setup(String);

/// 2 when the configuration or the environment must change (the message says how), 1 for
/// everything else.
fn exit_code(e: &anyhow::Error) -> u8 {
    let setup = e.chain().any(|c| {
        c.downcast_ref::<Setup>().is_some()
            || c.downcast_ref::<ConfigError>().is_some()
            || c.downcast_ref::<factbot::bot::BotError>()
                .is_some_and(factbot::bot::BotError::is_setup)
    });
    if setup {
        2
    } else {
        1
    }
}

/// The error and its causes on one line. Library errors name their cause in their own
/// message, so a cause already said is not repeated.
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let said = cause.to_string();
        if out.contains(&said) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&said);
    }
    out
}

/// The configuration with the command line's overrides; with `documents`, the documents
/// folder must exist (the error says where its name came from and how to change it).
fn load_config(cli: &Cli, documents: bool) -> Result<Config> {
    let (mut cfg, origin) = Config::discover(cli.config.as_deref())?;
    if let Some(d) = &cli.documents {
        cfg.documents = d.clone();
    }
    if let Some(i) = &cli.index {
        cfg.index = i.clone();
    }
    if documents && !cfg.documents.is_dir() {
        let folder = cfg.documents.display();
        let how = match (&cli.documents, &origin) {
            (Some(_), _) => "pass --documents an existing folder".to_string(),
            (None, Origin::Defaults) => format!(
                "no config file was found (--config, {}, ./config.toml), so the default is used; pass --documents DIR or point {} at a config file that sets documents",
                factbot::config::CONFIG_ENV,
                factbot::config::CONFIG_ENV
            ),
            (None, origin) => format!("create it, or set documents in {origin}"),
        };
        return Err(Setup(format!("documents folder {folder} does not exist: {how}")).into());
    }
    Ok(cfg)
}

const INDEX_BAR: &str = "indexing {bar:40} {pos}/{len} passages ({per_sec}, eta {eta})";

/// A progress bar on stderr for steps of more than a few thousand items.
struct Bar(ProgressBar);

impl Bar {
    fn new(template: &str) -> Self {
        let pb = ProgressBar::hidden();
        pb.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar(pb)
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if total >= 5_000 && std::io::stderr().is_terminal() {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.0.set_length(total);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn open_engine(cfg: Config) -> Result<Engine> {
    let docs = cfg.documents.display().to_string();
    let engine = Engine::open_with_progress(cfg, &Bar::new(INDEX_BAR))
        .with_context(|| format!("opening the index for {docs}"))?;
    if engine.rebuilt {
        log::info!(
            "index built: {} documents, {} passages",
            engine.documents().len(),
            engine.passage_count()
        );
    }
    Ok(engine)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Ask {
            json,
            chart,
            question,
        } => {
            let engine = open_engine(load_config(&cli, true)?)?;
            let stdout = std::io::stdout();
            let marks = if stdout.is_terminal() {
                Marks::Ansi
            } else {
                Marks::Stars
            };
            let mut out = stdout.lock();
            let answer_one = |q: &str, out: &mut dyn Write| -> Result<()> {
                let a = engine.ask(q);
                if *json {
                    writeln!(out, "{}", a.to_json())?;
                } else {
                    writeln!(out, "{}\n", render::plain(&a, marks))?;
                }
                Ok(())
            };
            if question.is_empty() {
                let stdin = std::io::stdin();
                for line in stdin.lock().lines() {
                    let line = match line {
                        Ok(l) => l,
                        // Not UTF-8: answer it as an empty question rather than stop the batch.
                        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => String::new(),
                        Err(e) => return Err(e).context("reading questions from stdin"),
                    };
                    answer_one(&line, &mut out)?;
                    out.flush()?;
                }
            } else {
                answer_one(&question.join(" "), &mut out)?;
                if let Some(path) = chart {
                    let a = engine.ask(&question.join(" "));
                    let png = factbot::chart::render_png(&a).context("drawing the chart")?;
                    std::fs::write(path, png)
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("chart written to {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run => {
            let cfg = load_config(&cli, true)?;
            // The token, the webhook secret and the Bot API address are checked before
            // anything slow, each with one line saying what to set.
            let launch = factbot::bot::Launch::from_env(&cfg)?;
            let engine = open_engine(cfg.clone())?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(factbot::bot::run(engine, cfg, launch))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Index => {
            let cfg = load_config(&cli, true)?;
            let start = std::time::Instant::now();
            let engine =
                Engine::rebuild(cfg, &Bar::new(INDEX_BAR)).context("building the index")?;
            for (file, why) in engine.skipped() {
                eprintln!("skipped {file}: {why}");
            }
            println!(
                "indexed {} documents, {} passages, {} facts in {:.2}s",
                engine.documents().len(),
                engine.passage_count(),
                engine.facts().len(),
                start.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { json, published } => {
            let order = load_config(&cli, false)?.extract.date_order;
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading text from stdin")?;
            let mut out = std::io::stdout().lock();
            for m in extract::mentions_in_order(&input, *published, order) {
                let v = m.to_json();
                if *json {
                    writeln!(out, "{v}")?;
                } else {
                    let kind = v["type"].as_str().unwrap_or("");
                    let value = match kind {
                        "money" => {
                            format!("{} {}", v["amount"], v["currency"].as_str().unwrap_or("?"))
                        }
                        "date" => format!(
                            "{} ({})",
                            v["date"].as_str().unwrap_or(""),
                            v["grain"].as_str().unwrap_or("")
                        ),
                        "percent" => format!("{}%", v["value"]),
                        _ => v["label"].as_str().unwrap_or("").to_string(),
                    };
                    writeln!(
                        out,
                        "{kind:8} {value:28} {:?} @{}..{}",
                        v["text"].as_str().unwrap_or(""),
                        v["start"],
                        v["end"]
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchServe {
            generation,
            queries,
            repeat,
            threads,
        } => {
            let cfg = load_config(&cli, false)?;
            let aliases = factbot::index::load_aliases(&cfg).context("loading aliases")?;
            let queries = factbot::bench::read_queries(queries)?;
            let report = factbot::bench::serve(
                generation,
                cfg,
                aliases,
                &queries,
                *repeat,
                *threads,
                &Bar::new("answering {bar:40} {pos}/{len} questions ({per_sec}, eta {eta})"),
            )?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            corpus,
            queries,
            repeat,
            threads,
            keep,
            json,
        } => {
            let cfg = load_config(&cli, corpus.is_none())?;
            let aliases = factbot::index::load_aliases(&cfg).context("loading aliases")?;
            let corpus = match corpus {
                Some(path) => factbot::bench::read_corpus(path)?,
                None => factbot::corpus::load_dir(
                    &cfg.documents,
                    factbot::corpus::SplitOptions {
                        max_passage_words: cfg.search.max_passage_words,
                        max_file_bytes: cfg.search.max_document_bytes,
                    },
                )?,
            };
            if factbot::bench::read_queries(queries)?.is_empty() {
                anyhow::bail!("{} holds no queries", queries.display());
            }
            let tmp = tempfile::tempdir().context("creating a temporary index folder")?;
            let dir = keep.as_deref().unwrap_or(tmp.path());
            let mut report = factbot::bench::build(corpus, dir, &aliases, &Bar::new(INDEX_BAR))?;
            // Serving runs in a fresh process: its memory and open time are a server's,
            // not the builder's.
            let mut child = std::process::Command::new(
                std::env::current_exe().context("finding this program")?,
            );
            if let Some(c) = &cli.config {
                child.arg("--config").arg(c);
            }
            let out = child
                .arg("bench-serve")
                .arg("--generation")
                .arg(dir)
                .arg("--queries")
                .arg(queries)
                .arg("--repeat")
                .arg((*repeat).max(1).to_string())
                .arg("--threads")
                .arg((*threads).max(1).to_string())
                .stderr(std::process::Stdio::inherit())
                .output()
                .context("running the serving half")?;
            if !out.status.success() {
                anyhow::bail!("the serving half failed ({})", out.status);
            }
            report.serve =
                serde_json::from_slice(&out.stdout).context("reading the serving half's report")?;
            report.peak_rss_bytes = report
                .build_peak_rss_bytes
                .max(report.serve.serve_peak_rss_bytes);
            if *json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!("{}", factbot::bench::table(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { json, explain } => {
            let engine = open_engine(load_config(&cli, true)?)?;
            let mut out = std::io::stdout().lock();
            for sf in engine.facts() {
                let mut v = engine.fact_json(sf);
                let why = if *explain { engine.explain(sf) } else { None };
                if *json {
                    if let Some(e) = &why {
                        v["explain"] = serde_json::to_value(e)?;
                    }
                    writeln!(out, "{v}")?;
                    continue;
                }
                let doc = v["document"].as_str().unwrap_or("");
                let line = match &sf.fact {
                    extract::Fact::Money(_) => format!(
                        "money {:>16} {:4} year={} measure={} modality={} parties={} percent={}",
                        v["amount"],
                        v["currency"].as_str().unwrap_or("?"),
                        v["year"],
                        v["measure"].as_str().unwrap_or(""),
                        v["modality"].as_str().unwrap_or(""),
                        v["parties"],
                        v["percent"]
                    ),
                    extract::Fact::Date(_) => format!(
                        "date  {:>16} {}",
                        v["date"].as_str().unwrap_or(""),
                        v["event"].as_str().unwrap_or("")
                    ),
                };
                writeln!(out, "{line}  [{doc} #{}]", v["passage"])?;
                if let Some(e) = why {
                    writeln!(out, "      why: {}", e.line())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
