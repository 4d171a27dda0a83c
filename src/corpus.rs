//! Corpus loading: reads the documents folder, recognises each document's metadata
//! (title, publication date, source link) and splits its body into passages.
//!
//! Parsing (`parse_document`) is pure; only `load_dir` and `fingerprint` touch the disk.
//! Nothing here ever writes into the documents folder.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text;

/// Extensions of files that are documents.
pub const DOCUMENT_EXTENSIONS: &[&str] = &["txt", "md"];

/// A parsed document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    /// File name relative to the documents folder (forward slashes).
    pub file: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub source: Option<String>,
    pub passages: Vec<Passage>,
}

/// A passage: a paragraph, or a run of sentences of a long paragraph.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Passage {
    /// Position of the passage in its document, from 0.
    pub position: usize,
    pub text: String,
    /// Byte range in the document file.
    pub start: usize,
    pub end: usize,
}

/// Why a file was not indexed.
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    #[error("it is not UTF-8 text")]
    NotUtf8,
    #[error("it looks binary")]
    Binary,
    #[error("it is empty")]
    Empty,
    #[error("it is larger than {0} bytes")]
    TooLarge(u64),
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("documents folder {path} cannot be read: {source}")]
    ReadDir {
        path: String,
        source: std::io::Error,
    },
}

/// A document file that was skipped, and why.
#[derive(Debug)]
pub struct Skipped {
    pub file: String,
    pub reason: SkipReason,
}

/// The result of loading a documents folder.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
}

/// Options that shape passages.
#[derive(Debug, Clone, Copy)]
pub struct SplitOptions {
    /// A paragraph longer than this many words is split at sentence boundaries.
    pub max_passage_words: usize,
    /// Files larger than this are skipped.
    pub max_file_bytes: u64,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            max_passage_words: 200,
            max_file_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Lists the document files below `dir` (recursively, sorted, symlinks not followed).
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let mut out = Vec::new();
    walk(dir, &mut out).map_err(|source| CorpusError::ReadDir {
        path: dir.display().to_string(),
        source,
    })?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ft = entry.file_type()?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if ft.is_symlink() || hidden {
            continue;
        }
        if ft.is_dir() {
            walk(&path, out)?;
        } else if ft.is_file() && is_document(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A cheap fingerprint of the documents folder: names, sizes and modification times.
/// The index is rebuilt when it changes.
pub fn fingerprint(dir: &Path) -> Result<String, CorpusError> {
    let mut parts = Vec::new();
    for path in list_files(dir)? {
        let meta = std::fs::metadata(&path).ok();
        let size = meta.as_ref().map_or(0, |m| m.len());
        let mtime = meta
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        parts.push(format!(
            "{}\t{}\t{}",
            relative_name(dir, &path),
            size,
            mtime
        ));
    }
    Ok(parts.join("\n"))
}

/// Loads every document below `dir`; unreadable ones are reported in `skipped`.
pub fn load_dir(dir: &Path, opts: SplitOptions) -> Result<Corpus, CorpusError> {
    Ok(load_files(dir, list_files(dir)?, opts))
}

/// Reads listed files. A file can vanish or change between listing and reading (the owner
/// is copying documents in): whatever cannot be read then is skipped, by name.
fn load_files(dir: &Path, files: Vec<PathBuf>, opts: SplitOptions) -> Corpus {
    let mut corpus = Corpus::default();
    for path in files {
        let name = relative_name(dir, &path);
        match read_document(&path, opts) {
            Ok(content) => match parse_document(&name, &content, opts) {
                Some(doc) => corpus.documents.push(doc),
                None => corpus.skipped.push(Skipped {
                    file: name,
                    reason: SkipReason::Empty,
                }),
            },
            Err(reason) => corpus.skipped.push(Skipped { file: name, reason }),
        }
    }
    corpus
}

fn read_document(path: &Path, opts: SplitOptions) -> Result<String, SkipReason> {
    let size = std::fs::metadata(path)?.len();
    if size > opts.max_file_bytes {
        return Err(SkipReason::TooLarge(opts.max_file_bytes));
    }
    let bytes = std::fs::read(path)?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(SkipReason::Binary);
    }
    let text = String::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)?;
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(text)
}

/// Metadata found while reading a document's lines.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    date: Option<NaiveDate>,
    source: Option<String>,
}

/// A line (or the rest of one) that belongs to the body, with its byte offset.
struct BodyLine<'a> {
    text: &'a str,
    start: usize,
}

/// Parses one document's content. Returns `None` when it has no body text.
pub fn parse_document(file: &str, content: &str, opts: SplitOptions) -> Option<Document> {
    let bom = if content.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let mut meta = Meta::default();
    let mut lines = lines_with_offsets(content, bom);

    let front_matter_end = parse_front_matter(&lines, &mut meta);
    lines.drain(..front_matter_end);

    let mut body: Vec<BodyLine> = Vec::new();
    let mut first_text_line = true;
    for (start, line) in &lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            body.push(BodyLine {
                text: "",
                start: *start,
            });
            continue;
        }
        if let Some(url) = source_line(trimmed) {
            meta.source.get_or_insert(url);
            continue;
        }
        if let Some((date, rest)) = date_marker(line) {
            meta.date.get_or_insert(date);
            if rest.trim().is_empty() {
                continue;
            }
            let offset = start + (line.len() - rest.len());
            let r = rest.trim_start();
            body.push(BodyLine {
                text: r.trim_end(),
                start: offset + (rest.len() - r.len()),
            });
            first_text_line = false;
            continue;
        }
        if first_text_line {
            first_text_line = false;
            if meta.title.is_none() {
                if let Some(h) = trimmed.strip_prefix('#') {
                    meta.title = Some(h.trim_start_matches('#').trim().to_string());
                    continue;
                }
                if looks_like_title(trimmed) && lines.len() > 1 {
                    meta.title = Some(trimmed.to_string());
                    continue;
                }
            }
        }
        let lead = line.len() - line.trim_start().len();
        body.push(BodyLine {
            text: trimmed,
            start: start + lead,
        });
    }

    let paragraphs = join_paragraphs(&body);
    let mut passages = Vec::new();
    for (start, end) in paragraphs {
        split_paragraph(content, start, end, opts.max_passage_words, &mut passages);
    }
    if passages.is_empty() {
        return None;
    }
    let title = meta
        .title
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| derive_title(&passages[0].text));
    Some(Document {
        file: file.to_string(),
        title,
        date: meta.date,
        source: meta.source,
        passages,
    })
}

fn lines_with_offsets(content: &str, from: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = from;
    for raw in content[from..].split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        out.push((pos, line));
        pos += raw.len();
    }
    out
}

/// Reads `---` front matter if the document starts with it; returns the number of lines
/// it spans (0 when there is none).
fn parse_front_matter(lines: &[(usize, &str)], meta: &mut Meta) -> usize {
    if lines.first().map(|(_, l)| l.trim()) != Some("---") {
        return 0;
    }
    let Some(close) = lines.iter().skip(1).position(|(_, l)| l.trim() == "---") else {
        return 0;
    };
    for (_, line) in &lines[1..=close] {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" if !value.is_empty() => meta.title = Some(value.to_string()),
            "date" | "published" => meta.date = parse_meta_date(value),
            "source" | "url" | "link" if !value.is_empty() => meta.source = Some(value.to_string()),
            _ => {}
        }
    }
    close + 2
}

/// `source: URL` (also `url:`, `link:`, `Источник:`) on a line of its own.
fn source_line(line: &str) -> Option<String> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_lowercase();
    if !matches!(key.as_str(), "source" | "url" | "link" | "источник") {
        return None;
    }
    let value = value.trim();
    (value.starts_with("http://") || value.starts_with("https://") || value.starts_with("www."))
        .then(|| value.split_whitespace().next().unwrap_or(value).to_string())
}

/// `date YYYY-MM-DD` (or `date: ...`) at the start of a line; returns the date and the
/// rest of the line, which is body text when the marker opens a paragraph.
fn date_marker(line: &str) -> Option<(NaiveDate, &str)> {
    let t = line.trim_start();
    let lower = t.get(..5)?.to_ascii_lowercase();
    if lower != "date " && lower != "date:" {
        return None;
    }
    let rest = t[5..].trim_start_matches([':', ' ', '\t']);
    let candidate = rest.get(..10)?;
    let date = NaiveDate::parse_from_str(candidate, "%Y-%m-%d").ok()?;
    Some((date, &rest[10..]))
}

fn parse_meta_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    NaiveDate::parse_from_str(v.get(..10).unwrap_or(v), "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(v, "%d.%m.%Y").ok())
        .or_else(|| NaiveDate::parse_from_str(v, "%B %d, %Y").ok())
        .or_else(|| NaiveDate::parse_from_str(v, "%d %B %Y").ok())
}

/// A short first line without final punctuation reads as a title.
fn looks_like_title(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.chars().last().unwrap_or('.');
    words <= 16 && line.len() <= 160 && !matches!(last, '.' | '!' | '?' | ',' | ';' | ':' | '…')
}

fn derive_title(first_passage: &str) -> String {
    let first_sentence = text::sentences(first_passage)
        .first()
        .map(|&(a, b)| &first_passage[a..b])
        .unwrap_or(first_passage);
    let words: Vec<&str> = first_sentence.split_whitespace().collect();
    if words.len() <= 12 {
        first_sentence.trim_end_matches(['.', '!', '?']).to_string()
    } else {
        format!("{}…", words[..10].join(" "))
    }
}

/// Groups body lines into paragraphs. A blank line always ends a paragraph. A single line
/// break ends one too, unless the line was hard-wrapped: it does not end in terminal
/// punctuation and the next line continues in lowercase.
fn join_paragraphs(body: &[BodyLine]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut prev_text = "";
    for line in body {
        if line.text.is_empty() {
            if let Some(p) = current.take() {
                out.push(p);
            }
            prev_text = "";
            continue;
        }
        let continues = current.is_some() && is_wrapped(prev_text, line.text);
        match (&mut current, continues) {
            (Some((_, end)), true) => *end = line.start + line.text.len(),
            _ => {
                if let Some(p) = current.take() {
                    out.push(p);
                }
                current = Some((line.start, line.start + line.text.len()));
            }
        }
        prev_text = line.text;
    }
    if let Some(p) = current {
        out.push(p);
    }
    out
}

fn is_wrapped(prev: &str, next: &str) -> bool {
    let ends = prev
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | '"' | '»' | '”'));
    let starts_lower = next
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    !ends && starts_lower
}

/// Turns the paragraph `content[start..end]` into one or more passages.
fn split_paragraph(
    content: &str,
    start: usize,
    end: usize,
    max_words: usize,
    out: &mut Vec<Passage>,
) {
    let para = &content[start..end];
    let words = para.split_whitespace().count();
    let mut push = |a: usize, b: usize, out: &mut Vec<Passage>| {
        let text = normalize_space(&content[a..b]);
        if !text.is_empty() {
            out.push(Passage {
                position: out.len(),
                text,
                start: a,
                end: b,
            });
        }
    };
    if words <= max_words.max(1) {
        push(start, end, out);
        return;
    }
    let mut chunk_start: Option<usize> = None;
    let mut chunk_end = start;
    let mut chunk_words = 0;
    for (a, b) in text::sentences(para) {
        let w = para[a..b].split_whitespace().count();
        if chunk_start.is_some() && chunk_words + w > max_words {
            push(chunk_start.unwrap_or(start), chunk_end, out);
            chunk_start = None;
            chunk_words = 0;
        }
        if w > max_words {
            // A "sentence" longer than a passage (a list, a table row): cut it by words.
            if let Some(s) = chunk_start.take() {
                push(s, chunk_end, out);
                chunk_words = 0;
            }
            cut_by_words(content, start + a, start + b, max_words, &mut push, out);
            continue;
        }
        chunk_start.get_or_insert(start + a);
        chunk_end = start + b;
        chunk_words += w;
    }
    if let Some(s) = chunk_start {
        push(s, chunk_end, out);
    }
}

fn cut_by_words(
    content: &str,
    start: usize,
    end: usize,
    max_words: usize,
    push: &mut impl FnMut(usize, usize, &mut Vec<Passage>),
    out: &mut Vec<Passage>,
) {
    let mut piece_start = start;
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in content[start..end].char_indices() {
        let ws = c.is_whitespace();
        if !ws && !in_word {
            count += 1;
            if count > max_words {
                push(piece_start, start + i, out);
                piece_start = start + i;
                count = 1;
            }
        }
        in_word = !ws;
    }
    push(piece_start, end, out);
}

fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_that_vanishes_after_listing_is_skipped_by_name() {
        let tmp = tempfile::tempdir().expect("tempdir");
        for name in ["a.md", "b.md", "c.md"] {
            std::fs::write(tmp.path().join(name), format!("# {name}\n\nSome text.\n"))
                .expect("write");
        }
        let files = super::list_files(tmp.path()).expect("list");
        std::fs::remove_file(tmp.path().join("b.md")).expect("remove");
        std::fs::write(tmp.path().join("c.md"), "").expect("truncate");
        let corpus = super::load_files(tmp.path(), files, super::SplitOptions::default());
        let docs: Vec<&str> = corpus.documents.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(docs, ["a.md"]);
        let skipped: Vec<(&str, String)> = corpus
            .skipped
            .iter()
            .map(|s| (s.file.as_str(), s.reason.to_string()))
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].0, "b.md");
        assert!(skipped[0].1.starts_with("cannot read it"), "{skipped:?}");
        assert_eq!(skipped[1], ("c.md", "it is empty".to_string()));
    }

    use super::*;

    fn parse(s: &str) -> Document {
        parse_document("t.txt", s, SplitOptions::default()).expect("document")
    }

    #[test]
    fn first_short_line_is_title_and_single_newlines_split_paragraphs() {
        let d = parse("Kyrgyzstan — Kazakhstan\nFirst paragraph here.\nSecond paragraph.\n");
        assert_eq!(d.title, "Kyrgyzstan — Kazakhstan");
        assert_eq!(d.passages.len(), 2);
        assert_eq!(d.passages[1].text, "Second paragraph.");
        assert_eq!(d.date, None);
    }

    #[test]
    fn date_marker_opening_first_paragraph() {
        let d = parse(" date 2024-04-17 Sales between the two grew. More.\n\nNext one.\n");
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2024, 4, 17));
        assert_eq!(d.passages[0].text, "Sales between the two grew. More.");
        assert_eq!(d.title, "Sales between the two grew");
        assert_eq!(d.passages.len(), 2);
    }

    #[test]
    fn front_matter_and_source_line() {
        let d = parse("---\ntitle: \"Trade news\"\ndate: 2023-01-05\nsource: https://x.example/a\n---\n# Ignored heading\nBody.\n");
        assert_eq!(d.title, "Trade news");
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2023, 1, 5));
        assert_eq!(d.source.as_deref(), Some("https://x.example/a"));
        assert_eq!(d.passages.len(), 2);
    }

    #[test]
    fn markdown_heading_date_line_and_trailing_source() {
        let d = parse("# Heading title\ndate 2020-02-02\nText one.\n\nText two.\nsource: https://example.org/n\n");
        assert_eq!(d.title, "Heading title");
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2020, 2, 2));
        assert_eq!(d.source.as_deref(), Some("https://example.org/n"));
        let texts: Vec<&str> = d.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Text one.", "Text two."]);
    }

    #[test]
    fn hard_wrapped_lines_join() {
        let d = parse("Title\n\nThis paragraph is wrapped\nover two lines.\nA new one.\n");
        let texts: Vec<&str> = d.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["This paragraph is wrapped over two lines.", "A new one."]
        );
    }

    #[test]
    fn long_paragraph_splits_at_sentences_and_keeps_ranges() {
        let sentence = "This sentence has exactly eight words in it. ";
        let body = sentence.repeat(60);
        let content = format!("Title\n{body}\n");
        let d = parse_document(
            "t.txt",
            &content,
            SplitOptions {
                max_passage_words: 50,
                ..Default::default()
            },
        )
        .expect("doc");
        assert!(d.passages.len() >= 9, "{}", d.passages.len());
        for p in &d.passages {
            assert!(p.text.split_whitespace().count() <= 50);
            assert_eq!(normalize_space(&content[p.start..p.end]), p.text);
        }
    }

    #[test]
    fn no_body_is_none() {
        assert!(parse_document("e.txt", "   \n\n", SplitOptions::default()).is_none());
        assert!(parse_document("e.txt", "date 2020-01-01\n", SplitOptions::default()).is_none());
    }
}
