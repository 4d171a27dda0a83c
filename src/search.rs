//! Passage search: turns a typed question into a lenient tantivy query (no query syntax:
//! `:`, quotes, `*` and `AND` are plain text), expands names through the alias data,
//! repairs typos against the index's own vocabulary, ranks with BM25 and a bonus for
//! covering more of the question, and marks the words that matched.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term};

use crate::aliases::Aliases;
use crate::index::Index;
use crate::text;

/// The most distinct words of a question that take part in a query; a pasted essay is cut
/// down to its rarest words.
const MAX_QUERY_TERMS: usize = 24;
/// Candidates fetched from tantivy before re-ranking by coverage.
const CANDIDATES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Options for one search.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    pub fuzzy: bool,
    pub title_boost: f32,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            fuzzy: true,
            title_boost: 1.5,
        }
    }
}

/// One question word and the index terms it stands for.
#[derive(Debug, Clone)]
pub struct PlannedTerm {
    /// The word as typed.
    pub word: String,
    /// Index terms (stems) with their weight: the word itself 1.0, typo repairs and
    /// aliases less.
    pub variants: Vec<(String, f32)>,
    /// The variants that are only guesses at a typo (edit-distance repairs): weaker
    /// evidence that a passage is about the word.
    pub repairs: Vec<String>,
}

impl PlannedTerm {
    /// The variants that are the word itself, its aliases or synonyms.
    pub fn sure_variants(&self) -> impl Iterator<Item = &str> {
        self.variants
            .iter()
            .map(|(v, _)| v.as_str())
            .filter(|v| !self.repairs.iter().any(|r| r == v))
    }
}

/// What a question becomes before it is run.
#[derive(Debug, Clone, Default)]
pub struct QueryPlan {
    pub terms: Vec<PlannedTerm>,
}

impl QueryPlan {
    /// Every index term the plan can match.
    pub fn all_variants(&self) -> HashSet<String> {
        self.terms
            .iter()
            .flat_map(|t| t.variants.iter().map(|(v, _)| v.clone()))
            .collect()
    }

    /// The question was written mostly in Cyrillic.
    pub fn is_cyrillic(&self) -> bool {
        let words: String = self
            .terms
            .iter()
            .map(|t| t.word.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        text::is_cyrillic(&words)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.iter().all(|t| t.variants.is_empty())
    }
}

/// A passage found by a search.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index into the index's documents.
    pub doc: usize,
    pub position: usize,
    pub score: f32,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// How many of the question's words the passage contains.
    pub covered: usize,
}

/// Plans the query for a question.
pub fn plan(index: &Index, aliases: &Aliases, question: &str, opts: &SearchOptions) -> QueryPlan {
    let searcher = index.reader.searcher();
    let field = index.fields.text;
    let mut analyzer = text::analyzer();
    let tokens = text::terms(&mut analyzer, question);
    let content: Vec<&text::Term> = tokens
        .iter()
        .filter(|t| !text::is_stop_word(&question[t.start..t.end].to_lowercase()))
        .collect();
    // A question of nothing but stop words ("what was it?") still searches with them.
    let chosen: Vec<&text::Term> = if content.is_empty() {
        tokens.iter().collect()
    } else {
        content
    };

    let df = |stem: &str| -> u64 {
        searcher
            .doc_freq(&Term::from_field_text(field, stem))
            .unwrap_or(0)
    };
    let mut seen = HashSet::new();
    let mut terms: Vec<(u64, PlannedTerm)> = Vec::new();
    for t in chosen {
        if !seen.insert(t.term.clone()) {
            continue;
        }
        let word = question[t.start..t.end].to_string();
        let mut variants: Vec<(String, f32)> = Vec::new();
        let mut repairs: Vec<String> = Vec::new();
        let own_df = df(&t.term);
        if own_df > 0 {
            variants.push((t.term.clone(), 1.0));
        }
        for alias in aliases.expansions(&t.term) {
            if df(&alias) > 0 && !variants.iter().any(|(v, _)| *v == alias) {
                variants.push((alias, 0.7));
            }
        }
        if own_df == 0 && opts.fuzzy {
            if let Some(id) = aliases.fuzzy_entity(&word) {
                let e = aliases.entity(id);
                for s in e
                    .spellings
                    .iter()
                    .flat_map(|s| text::terms(&mut analyzer, s))
                {
                    if df(&s.term) > 0 && !variants.iter().any(|(v, _)| *v == s.term) {
                        variants.push((s.term, 0.8));
                    }
                }
            }
            for (repaired, _) in fuzzy_terms(&searcher, field, &t.term, text::typo_budget(&word)) {
                if !variants.iter().any(|(v, _)| *v == repaired) {
                    repairs.push(repaired.clone());
                    variants.push((repaired, 0.8));
                }
            }
        }
        let rarity = if own_df > 0 { own_df } else { u64::MAX };
        terms.push((
            rarity,
            PlannedTerm {
                word,
                variants,
                repairs,
            },
        ));
    }
    if terms.len() > MAX_QUERY_TERMS {
        // Keep the rarest words that the index knows, in question order.
        let mut by_rarity: Vec<usize> = (0..terms.len()).collect();
        by_rarity.sort_by_key(|&i| (terms[i].1.variants.is_empty(), terms[i].0));
        let keep: HashSet<usize> = by_rarity.into_iter().take(MAX_QUERY_TERMS).collect();
        terms = terms
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .map(|(_, t)| t)
            .collect();
    }
    QueryPlan {
        terms: terms.into_iter().map(|(_, t)| t).collect(),
    }
}

/// Index terms within `distance` edits of `stem`, nearest and most frequent first.
fn fuzzy_terms(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    stem: &str,
    distance: usize,
) -> Vec<(String, u64)> {
    if distance == 0 || stem.chars().count() < 5 {
        return Vec::new();
    }
    let query = FuzzyTermQuery::new(
        Term::from_field_text(field, stem),
        distance.min(2) as u8,
        true,
    );
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(automaton) = query.automaton() else {
            continue;
        };
        // Typos almost never hit the first letter: walking only the terms that share it
        // makes the scan an order of magnitude cheaper on a large vocabulary.
        let Some(first) = stem.chars().next() else {
            continue;
        };
        let mut lo = [0u8; 4];
        let lo = first.encode_utf8(&mut lo).as_bytes().to_vec();
        let mut hi = lo.clone();
        if let Some(last) = hi.last_mut() {
            *last = last.saturating_add(1);
        }
        let Ok(mut stream) = inverted
            .terms()
            .search(automaton)
            .ge(&lo)
            .lt(&hi)
            .into_stream()
        else {
            continue;
        };
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                *found.entry(s.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut v: Vec<(String, u64)> = found.into_iter().filter(|(t, _)| t != stem).collect();
    v.sort_by(|a, b| {
        text::edit_distance(&a.0, stem, 2)
            .cmp(&text::edit_distance(&b.0, stem, 2))
            .then(b.1.cmp(&a.1))
    });
    v.truncate(3);
    v
}

/// How many candidates beyond those shown a `prefer` rule may lift into view.
const PREFER_WINDOW: usize = 8;

/// Runs a planned query and returns `limit` passages after skipping `offset`. A passage
/// whose text satisfies `prefer` (say, it holds a number when the question asks "how
/// many") gains 30% of its score among the next few candidates. Only the passages
/// returned are highlighted.
pub fn run(
    index: &Index,
    plan: &QueryPlan,
    opts: &SearchOptions,
    offset: usize,
    limit: usize,
    prefer: Option<&dyn Fn(&str) -> bool>,
) -> Result<Vec<Hit>, SearchError> {
    if plan.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let searcher = index.reader.searcher();
    let f = index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in &plan.terms {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for (v, w) in &t.variants {
            let text_q = TermQuery::new(
                Term::from_field_text(f.text, v),
                IndexRecordOption::WithFreqs,
            );
            alternatives.push(Box::new(BoostQuery::new(Box::new(text_q), *w)));
            let title_q =
                TermQuery::new(Term::from_field_text(f.title, v), IndexRecordOption::Basic);
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(title_q),
                *w * opts.title_boost * 0.5,
            )));
        }
        if !alternatives.is_empty() {
            clauses.push((
                Occur::Should,
                Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.3)),
            ));
        }
    }
    let query = BooleanQuery::new(clauses);
    let wanted = (offset + limit + PREFER_WINDOW).max(CANDIDATES);
    let top: Vec<(f32, DocAddress)> =
        searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
    // Re-rank by how much of the question each candidate covers (its text or its title),
    // read from the postings: no stored document is fetched for a candidate that is not
    // shown.
    let (covered, cyrillic) = coverage(&searcher, index, plan, &top);
    let n = plan
        .terms
        .iter()
        .filter(|t| !t.variants.is_empty())
        .count()
        .max(1) as f32;
    let asked_cyrillic = plan.is_cyrillic();
    let mut ranked: Vec<(f32, usize)> = top
        .iter()
        .enumerate()
        .map(|(i, (score, _))| {
            let mut s = score * (0.4 + covered[i] as f32 / n);
            // Of two equally good passages, the one in the asker's language reads better.
            if cyrillic[i] != 0 && (cyrillic[i] > 0) != asked_cyrillic {
                s *= 0.8;
            }
            (s, i)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(top[a.1].1.cmp(&top[b.1].1)));
    let fetch = |score: f32, i: usize| -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(top[i].1)?;
        let get_u64 = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let text = doc
            .get_first(f.text)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        Ok(Hit {
            doc: get_u64(f.doc) as usize,
            position: get_u64(f.position) as usize,
            score,
            start: get_u64(f.start) as usize,
            end: get_u64(f.end) as usize,
            text,
            highlights: Vec::new(),
            covered: covered[i],
        })
    };
    let mut hits: Vec<Hit> = match prefer {
        None => ranked
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&(score, i)| fetch(score, i))
            .collect::<Result<_, _>>()?,
        Some(prefer) => {
            // Every page is cut from the same re-ranked window, so "More" never repeats
            // or skips a passage.
            let mut window: Vec<Hit> = ranked
                .iter()
                .take(offset + limit + PREFER_WINDOW)
                .map(|&(score, i)| fetch(score, i))
                .collect::<Result<_, _>>()?;
            for h in &mut window {
                if prefer(&h.text) {
                    h.score *= 1.3;
                }
            }
            window.sort_by(|a, b| b.score.total_cmp(&a.score));
            window.into_iter().skip(offset).take(limit).collect()
        }
    };
    let variants = plan.all_variants();
    for h in &mut hits {
        h.highlights = highlight(&h.text, "", plan, &variants).0;
    }
    Ok(hits)
}

/// For each candidate: how many question words its text or title contains, and whether the
/// words it matched are mostly Cyrillic (> 0) or Latin (< 0).
fn coverage(
    searcher: &Searcher,
    index: &Index,
    plan: &QueryPlan,
    top: &[(f32, DocAddress)],
) -> (Vec<usize>, Vec<i32>) {
    let f = index.fields;
    let mut covered = vec![0usize; top.len()];
    let mut script = vec![0i32; top.len()];
    for t in &plan.terms {
        let mut present = vec![false; top.len()];
        for (v, _) in &t.variants {
            for field in [f.text, f.title] {
                let term = Term::from_field_text(field, v);
                for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
                    let mut idx: Vec<usize> = (0..top.len())
                        .filter(|&i| {
                            top[i].1.segment_ord as usize == seg_ord
                                && !(present[i] && field == f.title)
                        })
                        .collect();
                    if idx.is_empty() {
                        continue;
                    }
                    idx.sort_by_key(|&i| top[i].1.doc_id);
                    let Ok(inv) = seg.inverted_index(field) else {
                        continue;
                    };
                    let Ok(Some(mut postings)) = inv.read_postings(&term, IndexRecordOption::Basic)
                    else {
                        continue;
                    };
                    for i in idx {
                        let target = top[i].1.doc_id;
                        if postings.doc() <= target && postings.seek(target) == target {
                            present[i] = true;
                            if field == f.text {
                                script[i] += if text::is_cyrillic(v) { 1 } else { -1 };
                            }
                        }
                    }
                }
            }
        }
        for (c, p) in covered.iter_mut().zip(&present) {
            *c += usize::from(*p);
        }
    }
    (covered, script)
}

/// Marks the words of `text` that match the plan; returns their byte ranges and how many
/// distinct question words they and the document's title cover.
pub fn highlight(
    text: &str,
    title: &str,
    plan: &QueryPlan,
    variants: &HashSet<String>,
) -> (Vec<(usize, usize)>, usize) {
    let mut ranges = Vec::new();
    let mut present = HashSet::new();
    for t in text::terms_matching(text, variants) {
        ranges.push((t.start, t.end));
        present.insert(t.term);
    }
    // A passage of an article titled "Kazakhstan and Uzbekistan ..." is about them even
    // where it does not repeat their names.
    for t in text::terms_matching(title, variants) {
        present.insert(t.term);
    }
    let covered = plan
        .terms
        .iter()
        .filter(|t| t.variants.iter().any(|(v, _)| present.contains(v)))
        .count();
    (ranges, covered)
}

/// A window of at most `max_chars` characters around the densest run of highlights, cut
/// at word boundaries, with the highlights shifted into it.
pub fn snippet(
    text: &str,
    highlights: &[(usize, usize)],
    max_chars: usize,
) -> (String, Vec<(usize, usize)>) {
    snippet_showing(text, highlights, None, max_chars)
}

/// [`snippet`] that also keeps `answer` (a byte range of `text`, such as the number a "how
/// many" question asks for) inside the window when it fits, so a snippet does not stop
/// just before what it is shown for.
pub fn snippet_showing(
    text: &str,
    highlights: &[(usize, usize)],
    answer: Option<(usize, usize)>,
    max_chars: usize,
) -> (String, Vec<(usize, usize)>) {
    if text.chars().count() <= max_chars {
        return (text.to_string(), highlights.to_vec());
    }
    let max_bytes = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    // Start near the highlight that has the most others within the window after it.
    let anchor = highlights
        .iter()
        .map(|&(s, _)| {
            let count = highlights
                .iter()
                .filter(|&&(x, _)| x >= s && x < s + max_bytes)
                .count();
            (count, std::cmp::Reverse(s))
        })
        .max()
        .map_or(0, |(_, std::cmp::Reverse(s))| s);
    let mut start = anchor.saturating_sub(max_bytes / 5);
    if let Some((a, b)) = answer.filter(|&(a, b)| a < b && b <= text.len()) {
        // Slide the window until the answer and the rest of its clause (up to 80 bytes)
        // are in view.
        let rest = &text[b..];
        let clause = rest
            .find(['.', ';', ',', '\n'])
            .map_or(rest.len(), |i| i + 1)
            .min(80);
        let want_end = b + clause;
        if want_end > start + max_bytes {
            start = want_end - max_bytes;
        }
        if a < start {
            start = a.saturating_sub(max_bytes / 5);
        }
    }
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[..start]
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1);
    }
    let mut end = (start + max_bytes).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&i| i > start)
            .unwrap_or(end);
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let body = text[start..end].trim_end();
    let shift = prefix.len();
    let hl = highlights
        .iter()
        .filter(|&&(s, e)| s >= start && e <= start + body.len())
        .map(|&(s, e)| (s - start + shift, e - start + shift))
        .collect();
    (format!("{prefix}{body}{suffix}"), hl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keeps_short_text_whole() {
        let (s, h) = snippet("short text", &[(0, 5)], 100);
        assert_eq!(s, "short text");
        assert_eq!(h, vec![(0, 5)]);
    }

    #[test]
    fn snippet_shows_the_answer_after_the_matched_words() {
        let text = format!(
            "{} joint ventures operated in the country. During these years, about 400 of them {}",
            "word ".repeat(50),
            "tail ".repeat(100)
        );
        let jv = text.find("joint").expect("joint");
        let highlights = [(jv, jv + 5), (jv + 6, jv + 14)];
        let n = text.find("400").expect("400");
        let (plain, _) = snippet(&text, &highlights, 60);
        assert!(!plain.contains("400"), "{plain}");
        let (shown, hl) = snippet_showing(&text, &highlights, Some((n, n + 3)), 60);
        assert!(shown.contains("400"), "{shown}");
        assert!(shown.chars().count() <= 62);
        assert!(hl
            .iter()
            .all(|&(a, b)| shown.is_char_boundary(a) && b <= shown.len()));
    }

    #[test]
    fn snippet_windows_around_highlights() {
        let text = format!(
            "{} needle here {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let pos = text.find("needle").expect("needle");
        let (s, h) = snippet(&text, &[(pos, pos + 6)], 80);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(&s[h[0].0..h[0].1], "needle");
        assert!(s.chars().count() <= 82);
    }
}
