//! Rendering an [`Answer`] for people: plain text for the terminal (highlights in bold
//! ANSI or `**…**`), and Telegram HTML (everything from documents or users escaped; long
//! answers split at paragraph boundaries under Telegram's 4,096-character limit).

use crate::answer::{Answer, AnswerKind, SourceRef};
use crate::question::Lang;

/// How highlights are marked in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// ANSI bold, for a terminal.
    Ansi,
    /// `**word**`, for pipes and files.
    Stars,
}

fn mark(
    text: &str,
    highlights: &[(usize, usize)],
    open: &str,
    close: &str,
    escape: fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 8);
    let mut pos = 0;
    let mut hl: Vec<(usize, usize)> = highlights
        .iter()
        .copied()
        .filter(|&(a, b)| {
            a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
        })
        .collect();
    hl.sort_unstable();
    for (a, b) in hl {
        if a < pos {
            continue;
        }
        out.push_str(&escape(&text[pos..a]));
        out.push_str(open);
        out.push_str(&escape(&text[a..b]));
        out.push_str(close);
        pos = b;
    }
    out.push_str(&escape(&text[pos..]));
    out
}

fn no_escape(s: &str) -> String {
    s.to_string()
}

fn source_line(s: &SourceRef, lang: Lang) -> String {
    let date = s
        .date
        .as_ref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    let link = s
        .source
        .as_ref()
        .map(|u| format!(" <{u}>"))
        .unwrap_or_default();
    let p = if lang == Lang::Ru {
        "фрагмент"
    } else {
        "passage"
    };
    format!(
        "— {} ({}{date}, {p} {}){link}",
        s.title,
        s.document,
        s.passage + 1
    )
}

/// Plain text for the terminal.
pub fn plain(a: &Answer, marks: Marks) -> String {
    let (open, close) = match marks {
        Marks::Ansi => ("\x1b[1m", "\x1b[0m"),
        Marks::Stars => ("**", "**"),
    };
    let mut out: Vec<String> = Vec::new();
    if let Some(h) = &a.headline {
        out.push(format!("{open}{h}{close}"));
    }
    out.extend(a.lines.iter().cloned());
    match a.kind {
        AnswerKind::Passage => {
            for (i, s) in a.sources.iter().enumerate() {
                if i == 1 {
                    out.push(String::new());
                    out.push(if a.lang == Lang::Ru {
                        "Ещё:".into()
                    } else {
                        "Also:".into()
                    });
                }
                let body = mark(&s.snippet, &s.highlights, open, close, no_escape);
                out.push(if i == 0 { body } else { format!("• {body}") });
                out.push(source_line(s, a.lang));
            }
        }
        AnswerKind::Trade | AnswerKind::Date => {}
        AnswerKind::None => {}
    }
    out.extend(a.suggestions_line());
    out.join("\n")
}

/// Escapes text for Telegram HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn html_source(s: &SourceRef, lang: Lang) -> String {
    let date = s
        .date
        .as_ref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    let title = escape_html(&s.title);
    let title = match &s.source {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
            format!("<a href=\"{}\">{title}</a>", escape_html(u))
        }
        _ => title,
    };
    let word = if lang == Lang::Ru {
        "Источник"
    } else {
        "Source"
    };
    format!("<i>{word}: {title}{}</i>", escape_html(&date))
}

/// One passage in Telegram HTML: its text (matched words in bold) and its source.
pub fn telegram_passage(s: &SourceRef, lang: Lang) -> String {
    let body = mark(&s.snippet, &s.highlights, "<b>", "</b>", escape_html);
    format!("{body}\n{}", html_source(s, lang))
}

/// Telegram HTML, as one or more messages each under `limit` characters.
pub fn telegram_html(a: &Answer, limit: usize) -> Vec<String> {
    let mut paras: Vec<String> = Vec::new();
    if let Some(h) = &a.headline {
        paras.push(format!("<b>{}</b>", escape_html(h)));
    }
    let lines = without_citations(&a.lines);
    if !lines.is_empty() {
        paras.push(
            lines
                .iter()
                .map(|l| escape_html(l))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    match a.kind {
        AnswerKind::Passage => {
            for (i, s) in a.sources.iter().enumerate() {
                let body = mark(&s.snippet, &s.highlights, "<b>", "</b>", escape_html);
                let body = if i == 0 { body } else { format!("• {body}") };
                paras.push(format!("{body}\n{}", html_source(s, a.lang)));
            }
        }
        AnswerKind::Trade | AnswerKind::Date => {
            if let Some(s) = a.sources.first() {
                paras.push(html_source(s, a.lang));
            }
        }
        AnswerKind::None => {}
    }
    if !a.suggestions.is_empty() {
        let intro = crate::format::suggestions_intro(a.lang);
        let items: Vec<String> = a
            .suggestions
            .iter()
            .map(|s| format!("<code>{}</code>", escape_html(s)))
            .collect();
        paras.push(format!("{intro} {}", items.join(" · ")));
    }
    split_messages(&paras, limit)
}

/// Lines that name a source ("Source: «…»") are shown by the source block in HTML.
fn without_citations(lines: &[String]) -> Vec<&String> {
    lines
        .iter()
        .filter(|l| !(l.starts_with("Source: «") || l.starts_with("Источник: «")))
        .collect()
}

/// Packs paragraphs into messages under `limit` characters; a paragraph longer than the
/// limit is cut at line breaks, then at spaces.
pub fn split_messages(paras: &[String], limit: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let len = |s: &str| s.chars().count();
    let mut pieces: Vec<String> = Vec::new();
    for p in paras {
        if len(p) <= limit {
            pieces.push(p.clone());
        } else {
            pieces.extend(cut(p, limit));
        }
    }
    for p in pieces {
        let extra = if cur.is_empty() { 0 } else { 2 };
        if len(&cur) + extra + len(&p) > limit && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str("\n\n");
        }
        cur.push_str(&p);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn cut(p: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in p.split('\n') {
        for word in line.split(' ') {
            let need = cur.chars().count() + 1 + word.chars().count();
            if need > limit && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() && !cur.ends_with('\n') {
                cur.push(' ');
            }
            // A single word over the limit is cut by characters.
            if word.chars().count() > limit {
                let chars: Vec<char> = word.chars().collect();
                for chunk in chars.chunks(limit) {
                    out.push(chunk.iter().collect());
                }
                continue;
            }
            cur.push_str(word);
        }
        cur.push('\n');
    }
    let cur = cur.trim_end().to_string();
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_users_and_documents() {
        assert_eq!(
            escape_html("<script>a & \"b\"</script>"),
            "&lt;script&gt;a &amp; &quot;b&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn marks_highlights_inside_escaped_text() {
        let s = mark("a <b> trade & more", &[(6, 11)], "<b>", "</b>", escape_html);
        assert_eq!(s, "a &lt;b&gt; <b>trade</b> &amp; more");
    }

    #[test]
    fn splits_long_answers_under_the_limit() {
        let paras: Vec<String> = (0..50)
            .map(|i| format!("paragraph {i} {}", "word ".repeat(40)))
            .collect();
        let msgs = split_messages(&paras, 4096);
        assert!(msgs.len() > 1);
        assert!(msgs.iter().all(|m| m.chars().count() <= 4096));
        let huge = vec!["x".repeat(10_000)];
        let msgs = split_messages(&huge, 4096);
        assert!(msgs.iter().all(|m| m.chars().count() <= 4096));
        assert_eq!(msgs.iter().map(|m| m.len()).sum::<usize>(), 10_000);
    }
}
