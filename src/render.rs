//! Rendering an [`Answer`] for people: plain text for the terminal (highlights in bold
//! ANSI or `**…**`), and Telegram HTML (everything from documents or users escaped; long
//! answers split at paragraph boundaries under Telegram's 4,096-character limit).

use crate::answer::{Answer, AnswerKind, Citation, SourceRef};
use crate::format;
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
    out.extend(a.citations.iter().map(|c| c.line(a.lang)));
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
    let title = escape_html(&s.title);
    source_block(&title, s.source.as_deref(), s.date.as_deref(), lang)
}

/// "<i>Source: <a href=…>Title</a>, 2024-04-17</i>", from already escaped `title`.
fn source_block(title: &str, link: Option<&str>, date: Option<&str>, lang: Lang) -> String {
    let title = match link {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
            format!("<a href=\"{}\">{title}</a>", escape_html(u))
        }
        _ => title.to_string(),
    };
    let date = date
        .map(|d| format!(", {}", escape_html(d)))
        .unwrap_or_default();
    format!("<i>{}: {title}{date}</i>", format::source_word(lang))
}

fn html_citation(c: &Citation, lang: Lang) -> String {
    source_block(
        &escape_html(&c.title),
        c.source.as_deref(),
        c.date.as_deref(),
        lang,
    )
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
    if !a.lines.is_empty() {
        paras.push(
            a.lines
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
        // The documents the answer cites, or else the passage it rests on.
        AnswerKind::Trade | AnswerKind::Date if !a.citations.is_empty() => {
            let cites: Vec<String> = a
                .citations
                .iter()
                .map(|c| html_citation(c, a.lang))
                .collect();
            paras.push(cites.join("\n"));
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

    fn dated_answer(lines: &[&str], citations: Vec<Citation>) -> Answer {
        Answer {
            question: "when".into(),
            kind: AnswerKind::Date,
            lang: Lang::En,
            headline: Some("April 8, 1997".into()),
            lines: lines.iter().map(|l| l.to_string()).collect(),
            citations,
            facts: Vec::new(),
            sources: Vec::new(),
            suggestions: Vec::new(),
            series: Vec::new(),
            disagreement: false,
        }
    }

    /// The citation line is a field each renderer places, not a line the Telegram
    /// renderer recognises by its wording.
    #[test]
    fn citations_are_placed_by_each_renderer() {
        let cite = Citation {
            title: "Treaty <signed>".into(),
            date: Some("2024-04-17".into()),
            source: Some("https://example.org/a?b=1&c=2".into()),
        };
        // A context line that happens to read like a citation stays a context line.
        let a = dated_answer(&["Source: «a quoted line»."], vec![cite]);
        let plain = plain(&a, Marks::Stars);
        assert!(
            plain.ends_with("Source: «a quoted line».\nSource: «Treaty <signed>», 2024-04-17"),
            "{plain}"
        );
        assert!(a.text().ends_with("Source: «Treaty <signed>», 2024-04-17"));
        let html = telegram_html(&a, 4096).join("\n");
        assert!(html.contains("Source: «a quoted line»."), "{html}");
        assert!(
            html.contains(
                "<i>Source: <a href=\"https://example.org/a?b=1&amp;c=2\">Treaty &lt;signed&gt;</a>, 2024-04-17</i>"
            ),
            "{html}"
        );
        // Without a citation, no source line at all.
        let html = telegram_html(&dated_answer(&[], Vec::new()), 4096).join("\n");
        assert!(!html.contains("Source"), "{html}");
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
