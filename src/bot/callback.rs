//! What an answer's buttons carry: the typed callback data, with its one encoder and its
//! one parser. Telegram allows 64 bytes of callback data, so buttons carry numbers (ids
//! of remembered questions, positions of documents and passages), never names or text.

/// Telegram's limit on a button's callback data, in bytes.
pub const MAX_DATA_BYTES: usize = 64;

/// A button press the bot understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callback {
    /// Show passage `passage` of document `doc` whole.
    Source { doc: usize, passage: usize },
    /// Passages for remembered question `question`, from the `offset`-th on.
    More { question: u64, offset: usize },
    /// A chart of remembered question `question`'s series.
    Chart { question: u64 },
    /// Ask the `index`-th example question offered by /start.
    Example { index: usize },
}

impl Callback {
    /// The callback data of a button (at most 43 bytes: two 64-bit numbers and a tag).
    pub fn encode(&self) -> String {
        match *self {
            Callback::Source { doc, passage } => format!("s:{doc}:{passage}"),
            Callback::More { question, offset } => format!("m:{question}:{offset}"),
            Callback::Chart { question } => format!("c:{question}"),
            Callback::Example { index } => format!("x:{index}"),
        }
    }

    /// Reads callback data; `None` for anything [`Callback::encode`] does not write (an
    /// older format, a forged press).
    pub fn parse(data: &str) -> Option<Callback> {
        let mut parts = data.split(':');
        let tag = parts.next()?;
        let a = parts.next()?;
        let b = parts.next();
        if parts.next().is_some() {
            return None;
        }
        // Only plain decimal digits: `str::parse` would also take a leading '+'.
        let num = |s: &str| -> Option<u64> {
            (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let index = |s: &str| num(s).and_then(|n| usize::try_from(n).ok());
        match (tag, b) {
            ("s", Some(b)) => Some(Callback::Source {
                doc: index(a)?,
                passage: index(b)?,
            }),
            ("m", Some(b)) => Some(Callback::More {
                question: num(a)?,
                offset: index(b)?,
            }),
            ("c", None) => Some(Callback::Chart { question: num(a)? }),
            ("x", None) => Some(Callback::Example { index: index(a)? }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_reads_back_what_was_written() {
        let all = [
            Callback::Source { doc: 0, passage: 7 },
            Callback::More {
                question: 12,
                offset: 4,
            },
            Callback::Chart { question: 3 },
            Callback::Example { index: 2 },
            Callback::More {
                question: u64::MAX,
                offset: usize::MAX,
            },
            Callback::Source {
                doc: usize::MAX,
                passage: usize::MAX,
            },
        ];
        for c in all {
            let data = c.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            assert_eq!(Callback::parse(&data), Some(c), "{data}");
        }
    }

    #[test]
    fn data_it_did_not_write_is_not_a_callback() {
        for data in [
            "",
            "s",
            "s:1",
            "s:1:2:3",
            "m:1",
            "c:1:2",
            "x:",
            "x:-1",
            "x:+1",
            "s:1:İ",
            "m:99999999999999999999:1",
            "page:2",
            "more",
            "S:1:2",
        ] {
            assert_eq!(Callback::parse(data), None, "{data:?}");
        }
    }
}
