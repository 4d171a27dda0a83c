//! Chat around a question is not content: greetings, addressing the bot (`bot`, `@SomeBot`),
//! courtesy and filler (`pls`, `thanks`, `quick question`, `подскажите`, `спасибо`), emoji
//! and stray markup (`<b>`, `&amp;`) are removed before the question is read, so they never
//! become search, event or trade words. The words and phrases are data (`[chatter]` in
//! `src/lexicon.toml`).

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::lexicon;

/// A whole-word alternation of `items` (longest first, so a phrase wins over its start).
fn whole_words(items: &[String]) -> Regex {
    let mut items: Vec<&String> = items.iter().collect();
    items.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    let alternation = items
        .iter()
        .map(|s| {
            s.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|");
    // The characters either side are captured and put back, so only the word goes; a
    // hyphen binds ("hi-tech" is not a greeting).
    Regex::new(&format!(r"(?iu)(^|[^\w-])(?:{alternation})([^\w-]|$)"))
        .expect("chatter words compile (tested)")
}

static PHRASES: LazyLock<Regex> = LazyLock::new(|| whole_words(&lexicon().chatter.phrases));
static WORDS: LazyLock<Regex> = LazyLock::new(|| whole_words(&lexicon().chatter.words));
/// Markup a chat client or a paste leaves behind: tags and character entities.
static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)</?[a-z][a-z0-9]*(?:\s[^<>]{0,200})?/?>|&(?:[a-z]{2,8}|#\d{1,7}|#x[0-9a-f]{1,6});",
    )
    .expect("markup regex")
});
/// `@SomeBot`, `@user_name`.
static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)@\w+").expect("mention regex"));

/// Removes every match of `re` (a [`whole_words`] pattern), keeping the characters that
/// bound it, again until nothing matches: matches that share the space between them
/// ("hey bot") are found in turn.
fn blank_out(re: &Regex, s: String) -> String {
    let mut s = s;
    for _ in 0..8 {
        if !re.is_match(&s) {
            break;
        }
        s = re.replace_all(&s, "$1 $2").into_owned();
    }
    s
}

/// Whether a character is part of what a question says: letters, digits and the signs
/// figures and ranges are written with. Emoji and other symbols are not.
fn is_content_char(c: char) -> bool {
    c.is_alphanumeric()
        || c.is_whitespace()
        || matches!(
            c,
            '?' | '.'
                | ','
                | '-'
                | '–'
                | '—'
                | '%'
                | '$'
                | '€'
                | '£'
                | '₸'
                | '₽'
                | '/'
                | '\''
                | '’'
                | '"'
                | '«'
                | '»'
                | '“'
                | '”'
                | '('
                | ')'
                | ':'
                | ';'
                | '&'
                | '+'
                | '№'
        )
}

/// The question without its chatter, whitespace collapsed, leading and trailing
/// punctuation left by the removal trimmed. A question that is nothing but chatter
/// becomes empty.
pub fn strip(question: &str) -> String {
    let s = MARKUP.replace_all(question, " ").into_owned();
    let s = MENTION.replace_all(&s, " ").into_owned();
    let s: String = s
        .chars()
        .map(|c| if is_content_char(c) { c } else { ' ' })
        .collect();
    let s = blank_out(&PHRASES, s);
    let s = blank_out(&WORDS, s);
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let left_over =
        |c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '-' | '–' | '—' | '&');
    s.trim_start_matches(|c: char| left_over(c) || c == '.')
        .trim_end_matches(left_over)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_mentions_and_courtesy_go() {
        assert_eq!(
            strip("hey bot, when was the treaty of eternal friendship signed?"),
            "when was the treaty of eternal friendship signed?"
        );
        assert_eq!(strip("@FactBot trade kz kg 2002 pls"), "trade kz kg 2002");
        assert_eq!(
            strip("quick question: when were ties established? thanks!"),
            "when were ties established?"
        );
        assert_eq!(
            strip("Can you please tell me the trade in 2023, I need it for a report"),
            "the trade in 2023"
        );
    }

    #[test]
    fn russian_chatter_goes() {
        assert_eq!(
            strip("Привет! Подскажите, пожалуйста, когда подписали договор? Спасибо"),
            "когда подписали договор?"
        );
        assert_eq!(strip("бот, товарооборот 2023 плз"), "товарооборот 2023");
    }

    #[test]
    fn markup_and_emoji_go() {
        assert_eq!(
            strip("<b>when</b> was the Treaty on Allied Relations signed? 🙏"),
            "when was the Treaty on Allied Relations signed?"
        );
        assert_eq!(strip("trade 2002 &amp; 2003 😀😀"), "trade 2002 2003");
    }

    #[test]
    fn content_words_that_contain_chatter_stay() {
        // Whole words only: "history", "bother", "thankful", "tyre", "ботаника" keep theirs.
        for q in [
            "history of the bilateral treaty",
            "which bothersome dispute",
            "Thankful nations",
            "ботаника и торговля",
            "trade $5 billion 2021-2023",
        ] {
            assert_eq!(strip(q), q);
        }
    }

    #[test]
    fn only_chatter_leaves_nothing() {
        assert_eq!(strip("hi bot 👋 thanks"), "");
        assert_eq!(strip("спасибо!"), "");
    }
}
