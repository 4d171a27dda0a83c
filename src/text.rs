//! Text analysis shared by indexing, search, extraction and question understanding:
//! the tokenizer/stemmer pipeline, sentence boundaries, stop words and edit distance.
//!
//! One analyzer serves English and Russian text alike: each token is stemmed by the
//! stemmer of its own script (Cyrillic with the Russian Snowball stemmer, everything
//! else with the English one), so a corpus that mixes both languages needs no
//! per-document language field and a question matches passages in either language.

use std::borrow::Cow;
use std::collections::HashSet;
use std::mem;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the analyzer is registered under in every tantivy index this crate opens.
pub const ANALYZER_NAME: &str = "factbot_text";

/// Builds the analyzer: split on non-alphanumerics, drop absurdly long tokens,
/// lowercase, fold `ё` to `е`, then stem by script.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(ScriptStemmer)
        .build()
}

/// One analyzed token: its stemmed term and the byte range of the original word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Runs the analyzer over `text`, returning stemmed terms with their byte ranges.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Term {
            term: t.text.clone(),
            start: t.offset_from,
            end: t.offset_to,
        });
    }
    out
}

/// What [`terms`] returns filtered to the stems in `wanted`, without stemming the words
/// that cannot match: stemmers change only a word's ending, so only words that start like
/// a wanted stem are stemmed. Highlighting runs this over every shown passage, where
/// stemming every word was most of the cost.
pub fn terms_matching(text: &str, wanted: &HashSet<String>) -> Vec<Term> {
    // A handful of stems: a list is faster to scan than a set is to hash.
    let heads: Vec<(char, Option<char>)> = wanted.iter().map(|w| head(w)).collect();
    let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .build();
    let mut out = Vec::new();
    let mut stream = plain.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        let (first, second) = head(&t.text);
        if !heads
            .iter()
            .any(|&(f, s)| f == first && (s.is_none() || s == second))
        {
            continue;
        }
        if let Some(term) = with_stem(&t.text, |s| wanted.contains(s).then(|| s.to_string())) {
            out.push(Term {
                term,
                start: t.offset_from,
                end: t.offset_to,
            });
        }
    }
    out
}

/// The first two letters of a word or stem as stemming leaves them: `ё` read as `е`, and a
/// second `y` as `i` (English "dying" stems to "die"). A one-letter stem has no second.
fn head(word: &str) -> (char, Option<char>) {
    let fold = |c: char| match c {
        'ё' => 'е',
        'y' => 'i',
        c => c,
    };
    let mut chars = word.chars();
    let first = match chars.next() {
        Some('ё') => 'е',
        Some(c) => c,
        None => ' ',
    };
    (first, chars.next().map(fold))
}

/// Stems one word the way the analyzer would.
pub fn stem_word(word: &str) -> String {
    with_stem(&word.to_lowercase(), str::to_string)
}

/// Calls `f` with the stem of a lowercased word. Every stemming goes through here: words
/// repeat (a few thousand make up most of any text), and a lookup in this thread's cache is
/// several times cheaper than running the stemmer; indexing spends most of its time here.
fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return f(stem);
        }
        let stem = stem_uncached(word);
        let result = f(&stem);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.to_string(), stem);
        result
    })
}

fn stem_uncached(word: &str) -> String {
    let folded: Cow<str> = if word.contains('ё') {
        Cow::Owned(word.replace('ё', "е"))
    } else {
        Cow::Borrowed(word)
    };
    let mut stem = stemmer_for(&folded).stem(&folded).into_owned();
    fix_russian_an(&mut stem);
    stem
}

/// The Russian Snowball stemmer reads a final "-ан"/"-ян" as a verb ending and drops the
/// "н" ("Кыргызстан" → "кыргызста") but keeps it before a case ending ("Кыргызстаном" →
/// "кыргызстан"). Dropping it always makes every form of such nouns stem alike.
fn fix_russian_an(stem: &mut String) {
    if stem.ends_with("ан") || stem.ends_with("ян") {
        stem.pop();
    }
}

fn stemmer_for(word: &str) -> &'static frostem::Stemmer {
    use std::sync::OnceLock;
    static EN: OnceLock<frostem::Stemmer> = OnceLock::new();
    static RU: OnceLock<frostem::Stemmer> = OnceLock::new();
    if is_cyrillic(word) {
        RU.get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::Russian))
    } else {
        EN.get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::English))
    }
}

/// True when the word's letters are mostly Cyrillic.
pub fn is_cyrillic(word: &str) -> bool {
    let (mut cyr, mut other) = (0usize, 0usize);
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyr += 1;
        } else {
            other += 1;
        }
    }
    cyr > other
}

/// How many distinct words each thread's stem cache holds before it starts over.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// Lowercased word → its stem, per thread (tantivy indexes on several threads).
    static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Token filter that stems each token with the stemmer of its script.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScriptStemmer;

impl TokenFilter for ScriptStemmer {
    type Tokenizer<T: Tokenizer> = ScriptStemmerFilter<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> ScriptStemmerFilter<T> {
        ScriptStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct ScriptStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ScriptStemmerFilter<T> {
    type TokenStream<'a> = ScriptStemmerStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ScriptStemmerStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

pub struct ScriptStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for ScriptStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let buffer = &mut self.buffer;
        with_stem(&token.text, |stem| {
            buffer.clear();
            buffer.push_str(stem);
        });
        mem::swap(&mut token.text, buffer);
        true
    }
    fn token(&self) -> &Token {
        self.tail.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Latin spelling of a Cyrillic (Russian or Kazakh) word, so that names match across
/// scripts: "байконур" → "baykonur" (within a typo of "baikonur").
pub fn transliterate(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let t = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' => "i",
            'й' => "y",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'ң' => "ng",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ү' | 'ұ' => "u",
            'ф' => "f",
            'х' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(t);
    }
    out
}

/// Words that carry no meaning for retrieval in a question (checked on the lowercase,
/// unstemmed word). English and Russian question words, articles, auxiliaries.
pub fn is_stop_word(word: &str) -> bool {
    const STOP: &[&str] = &[
        // English
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "about",
        "as",
        "into",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "tell",
        "please",
        "know",
        "say",
        "said",
        "any",
        "some",
        "between",
        "s",
        "than",
        "then",
        "so",
        "if",
        "not",
        "no",
        "yes",
        "all",
        "also",
        "ever",
        "get",
        "got",
        "give",
        "show",
        "find",
        "list",
        "whats",
        "hi",
        "hello",
        "hey",
        // Russian
        "и",
        "в",
        "во",
        "на",
        "с",
        "со",
        "по",
        "о",
        "об",
        "от",
        "до",
        "за",
        "из",
        "к",
        "у",
        "не",
        "ни",
        "а",
        "но",
        "или",
        "что",
        "чем",
        "как",
        "какой",
        "какая",
        "какое",
        "какие",
        "каков",
        "какова",
        "каково",
        "каковы",
        "когда",
        "где",
        "кто",
        "сколько",
        "ли",
        "же",
        "бы",
        "был",
        "была",
        "было",
        "были",
        "быть",
        "есть",
        "это",
        "этот",
        "эта",
        "эти",
        "тот",
        "та",
        "те",
        "его",
        "ее",
        "их",
        "между",
        "для",
        "при",
        "про",
        "под",
        "над",
        "году",
        "года",
        "год",
        "скажи",
        "расскажи",
        "пожалуйста",
        "каком",
        "какой",
        "какого",
    ];
    STOP.contains(&word)
}

/// Byte ranges of the sentences of `text` (trimmed of surrounding white space).
///
/// A sentence ends at `.`, `!`, `?` or `…` followed by white space and a capital letter,
/// digit or opening quote, or at a line break. Dots inside numbers (`2.418`), single
/// capital initials (`U.S.`) and common abbreviations (`Mr.`, `г.`, `т.е.`) do not end one.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let is_break = c == '\n';
        let is_end = matches!(c, '.' | '!' | '?' | '…');
        if is_break || (is_end && ends_sentence(text, &chars, i)) {
            let mut end = pos + c.len_utf8();
            // Keep closing quotes and brackets with the sentence they close.
            while let Some(&(p, q)) = chars.get(i + 1) {
                if matches!(q, '"' | '\'' | '»' | '”' | ')' | '’') && !is_break {
                    end = p + q.len_utf8();
                    i += 1;
                } else {
                    break;
                }
            }
            push_trimmed(text, start, end, &mut out);
            start = end;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push((start + lead, end - trail));
    }
}

fn ends_sentence(text: &str, chars: &[(usize, char)], i: usize) -> bool {
    let (pos, c) = chars[i];
    // Next must be white space (or the end), then something that can start a sentence.
    let next = chars.get(i + 1).map(|&(_, n)| n);
    match next {
        None => return true,
        Some(n) if !n.is_whitespace() => return false,
        _ => {}
    }
    let mut j = i + 1;
    while j < chars.len() && chars[j].1.is_whitespace() {
        j += 1;
    }
    let Some(&(_, first)) = chars.get(j) else {
        return true;
    };
    let starts = first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '"' | '«' | '“' | '(' | '—' | '-' | '\'');
    if !starts {
        return false;
    }
    if c != '.' {
        return true;
    }
    // The word before the dot: an initial or a known abbreviation does not end a sentence.
    let before = &text[..pos];
    let word: String = before
        .chars()
        .rev()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lower = word.to_lowercase();
    const ABBREV: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "no", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp",
        "gen", "gov", "sen", "rep", "г", "гг", "т.е", "т.д", "т.п", "т.к", "др", "им", "ул", "тыс",
        "млн", "млрд", "трлн", "долл", "руб", "см", "рис", "стр", "пр",
    ];
    if ABBREV.contains(&lower.as_str()) {
        // "…на $99,7 млн. В 2016 году…": after an abbreviation that closes a figure, a word
        // in title case starts a new sentence (inside one, a lowercase word or a code like
        // "USD" follows). After "г." a name often goes on the sentence, so it never splits.
        return closes_a_figure(&lower) && title_case_at(chars, j);
    }
    // A single capital letter (an initial, or "U.S.") is not a sentence end.
    let letters: Vec<char> = word.chars().filter(|ch| *ch != '.').collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        return false;
    }
    true
}

/// Abbreviations of a scale or currency that end a figure ("млн.", "руб.").
fn closes_a_figure(abbrev: &str) -> bool {
    matches!(abbrev, "тыс" | "млн" | "млрд" | "трлн" | "долл" | "руб")
}

/// Whether the word at `chars[j]` is written in title case: a capital, then a small letter
/// or the end of the word ("В", "A"), not a code in capitals ("USD").
fn title_case_at(chars: &[(usize, char)], j: usize) -> bool {
    let first = chars.get(j).map(|&(_, c)| c);
    let second = chars.get(j + 1).map(|&(_, c)| c);
    first.is_some_and(char::is_uppercase)
        && second.is_none_or(|c| c.is_lowercase() || c.is_whitespace())
}

/// Damerau–Levenshtein (optimal string alignment) distance on characters,
/// giving up early once it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_chars(&a, &b, max)
}

/// A cheap test that rules out most word pairs before [`edit_distance_chars`]: a typo
/// within budget keeps the first letter, or the second and third ("qazakhstan"), or shifts
/// the start by one ("azakhstan", "akzakhstan", "xkazakhstan").
pub fn could_be_typo(a: &[char], b: &[char]) -> bool {
    let at = |w: &[char], i: usize| w.get(i).copied();
    at(a, 0) == at(b, 0)
        || (at(a, 1) == at(b, 1) && at(a, 2) == at(b, 2))
        || at(a, 0) == at(b, 1)
        || at(a, 1) == at(b, 0)
}

/// [`edit_distance`] on words already split into characters.
pub fn edit_distance_chars(a: &[char], b: &[char], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let n = b.len();
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// How many edits a typed word of this length may carry and still count as a match.
pub fn typo_budget(word: &str) -> usize {
    typo_budget_chars(word.chars().count())
}

/// [`typo_budget`] for a word of `chars` characters.
pub fn typo_budget_chars(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_prefilter_keeps_every_single_edit_at_the_start() {
        let c = |s: &str| -> Vec<char> { s.chars().collect() };
        let name = c("kazakhstan");
        for typed in [
            "kazahstan",
            "qazakhstan",
            "azakhstan",
            "akzakhstan",
            "xkazakhstan",
        ] {
            assert!(could_be_typo(&c(typed), &name), "{typed}");
            assert!(edit_distance_chars(&c(typed), &name, 2) <= 1, "{typed}");
        }
        assert!(!could_be_typo(&c("treaty"), &name));
    }

    #[test]
    fn terms_matching_agrees_with_filtered_terms() {
        let text = "Ёлки and skies: dying ties, Кыргызстаном и Казахстан подписали 12 treaties \
                    in 1997; trade grew. Yearly yields, ёжик, Ученые. A I x lying, ugly, early \
                    gently; ёлка, idly, cry, ÉCOLE Über.";
        let mut a = analyzer();
        let all = terms(&mut a, text);
        // Every word's stem, then every other one, plus one that matches nothing.
        for step in [1, 2] {
            let mut wanted: HashSet<String> =
                all.iter().step_by(step).map(|t| t.term.clone()).collect();
            wanted.insert("zzz".into());
            let expected: Vec<Term> = all
                .iter()
                .filter(|t| wanted.contains(&t.term))
                .cloned()
                .collect();
            assert!(expected.len() > 8);
            assert_eq!(terms_matching(text, &wanted), expected, "every {step}");
        }
    }

    #[test]
    fn stems_english_and_russian_by_script() {
        let mut a = analyzer();
        let t: Vec<String> = terms(&mut a, "Treaties signed Товарооборота Кыргызстаном")
            .into_iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(t[0], "treati");
        assert_eq!(t[1], "sign");
        assert_eq!(t[2], stem_word("товарооборот"));
        assert_eq!(t[3], stem_word("Кыргызстан"));
        assert_eq!(stem_word("Кыргызстана"), stem_word("Кыргызстаном"));
    }

    #[test]
    fn sentences_keep_decimals_and_initials() {
        let text = "Trade was $2.418 billion in the U.S. market. It grew. Next one";
        let s: Vec<&str> = sentences(text).iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            s,
            vec![
                "Trade was $2.418 billion in the U.S. market.",
                "It grew.",
                "Next one"
            ]
        );
    }

    #[test]
    fn a_figure_abbreviation_before_a_title_case_word_ends_a_sentence() {
        let t = "В 2014 году товарооборот составил $99,7 млн. В 2016 году он упал до $2 млн.";
        assert_eq!(sentences(t).len(), 2);
        // Inside a sentence, a lowercase word or a currency code follows the abbreviation.
        assert_eq!(
            sentences("Экспорт составил 5 млн. долларов в 2016 году.").len(),
            1
        );
        assert_eq!(
            sentences("Экспорт составил 5 млн. USD в 2016 году.").len(),
            1
        );
        // After "г." a name goes on the sentence.
        assert_eq!(sentences("В 1997 г. Казахстан подписал договор.").len(), 1);
    }

    #[test]
    fn sentences_do_not_split_lowercase_continuations() {
        let text = "The treaty was signed on 8 Apr. 1997 by both. В 2003 г. подписан договор.";
        let s = sentences(text);
        assert_eq!(s.len(), 2, "{s:?}");
    }

    #[test]
    fn transliteration_brings_names_within_a_typo() {
        assert_eq!(transliterate("Байконур"), "baykonur");
        assert!(edit_distance(&transliterate("ташкент"), "tashkent", 1) <= 1);
        assert_eq!(transliterate("Kazakh"), "kazakh");
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("turnovr", "turnover", 2), 1);
        assert_eq!(edit_distance("kirgizstan", "kyrgyzstan", 2), 2);
        assert_eq!(edit_distance("tarde", "trade", 2), 1);
        assert!(edit_distance("treaty", "kazakhstan", 2) > 2);
    }
}
