//! Names that mean the same thing: countries and blocs with their spellings in several
//! languages, and word groups that should find each other. The data lives in a TOML file
//! (`index/aliases.toml` by default), never in code; this module parses it and answers
//! "which entity is this word?" on stemmed words.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::text;

/// The default alias data, used when no file is configured or found. It is the same file
/// that ships in `index/aliases.toml`, compiled in so the library works from anywhere.
pub const DEFAULT_ALIASES: &str = include_str!("../index/aliases.toml");

#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("cannot read alias file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("alias file {path} is not valid: {message}")]
    Parse { path: String, message: String },
}

#[derive(Debug, Deserialize)]
struct AliasFile {
    #[serde(default)]
    entity: Vec<EntityEntry>,
    #[serde(default)]
    synonyms: Vec<SynonymEntry>,
}

#[derive(Debug, Deserialize)]
struct EntityEntry {
    name: String,
    #[serde(default)]
    ru: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SynonymEntry {
    words: Vec<String>,
}

/// A country, bloc or organisation.
#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    pub ru: String,
    pub codes: Vec<String>,
    /// Every spelling, as written in the file (for fuzzy matching of typed names).
    pub spellings: Vec<String>,
}

/// Identifies an entity inside one [`Aliases`] table.
pub type EntityId = usize;

/// An entity found in a text, with the byte range of the words that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityMention {
    pub entity: EntityId,
    pub start: usize,
    pub end: usize,
}

/// The loaded alias tables.
#[derive(Debug, Clone)]
pub struct Aliases {
    entities: Vec<Entity>,
    /// Stem sequence of a multi-word or single-word name → entity.
    names: HashMap<Vec<String>, EntityId>,
    /// First stems of all names: most words start none, and are skipped without building keys.
    first_stems: std::collections::HashSet<String>,
    longest_name: usize,
    codes: HashMap<String, EntityId>,
    /// Stem → the synonym groups (as stems) it belongs to.
    synonyms: HashMap<String, Vec<usize>>,
    groups: Vec<Vec<String>>,
    /// Stem → the words of its synonym group as written (for cross-language matching).
    raw_groups: Vec<Vec<String>>,
    /// Single-word spellings, lowercased into characters once, for typo matching.
    fuzzy: Vec<(Vec<char>, EntityId)>,
}

impl Aliases {
    /// Parses alias data from TOML text; `origin` names it in errors.
    pub fn parse(toml_text: &str, origin: &str) -> Result<Self, AliasError> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| AliasError::Parse {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        let mut analyzer = text::analyzer();
        let stems = |s: &str, a: &mut tantivy::tokenizer::TextAnalyzer| -> Vec<String> {
            text::terms(a, s).into_iter().map(|t| t.term).collect()
        };
        let mut entities = Vec::new();
        let mut names = HashMap::new();
        let mut codes = HashMap::new();
        let mut longest_name = 1;
        for (id, e) in file.entity.into_iter().enumerate() {
            let mut spellings = vec![e.name.clone()];
            spellings.extend(e.names.iter().cloned());
            if let Some(ru) = &e.ru {
                spellings.push(ru.clone());
            }
            for s in &spellings {
                let key = stems(s, &mut analyzer);
                if !key.is_empty() {
                    longest_name = longest_name.max(key.len());
                    names.entry(key).or_insert(id);
                }
            }
            for c in &e.codes {
                codes.insert(c.to_uppercase(), id);
            }
            entities.push(Entity {
                ru: e.ru.unwrap_or_else(|| e.name.clone()),
                name: e.name,
                codes: e.codes,
                spellings,
            });
        }
        let mut synonyms: HashMap<String, Vec<usize>> = HashMap::new();
        let mut groups = Vec::new();
        let mut raw_groups = Vec::new();
        for (gi, g) in file.synonyms.into_iter().enumerate() {
            let mut group = Vec::new();
            for w in &g.words {
                for s in stems(w, &mut analyzer) {
                    if !group.contains(&s) {
                        group.push(s);
                    }
                }
            }
            for s in &group {
                synonyms.entry(s.clone()).or_default().push(gi);
            }
            groups.push(group);
            raw_groups.push(g.words);
        }
        let fuzzy = entities
            .iter()
            .enumerate()
            .flat_map(|(id, e)| {
                e.spellings
                    .iter()
                    .filter(|s| !s.contains(' '))
                    .map(move |s| (s.to_lowercase().chars().collect(), id))
            })
            .collect();
        Ok(Aliases {
            fuzzy,
            entities,
            first_stems: names.keys().filter_map(|k| k.first().cloned()).collect(),
            names,
            longest_name,
            codes,
            synonyms,
            groups,
            raw_groups,
        })
    }

    /// Loads alias data from a file.
    pub fn load(path: &Path) -> Result<Self, AliasError> {
        let text = std::fs::read_to_string(path).map_err(|source| AliasError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The compiled-in default table.
    pub fn builtin() -> Self {
        // The default file is part of the crate and tested; failing here is a build defect.
        Self::parse(DEFAULT_ALIASES, "built-in aliases").unwrap_or_else(|_| Self::empty())
    }

    /// A table with no entries.
    pub fn empty() -> Self {
        Aliases {
            entities: Vec::new(),
            names: HashMap::new(),
            first_stems: Default::default(),
            longest_name: 1,
            codes: HashMap::new(),
            synonyms: HashMap::new(),
            groups: Vec::new(),
            raw_groups: Vec::new(),
            fuzzy: Vec::new(),
        }
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id]
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Finds the entity with this canonical name (case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<EntityId> {
        self.entities
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Entities named in `text`. `terms` are the analyzer's terms of `text`. Codes match
    /// only in upper case unless `any_case_codes` (questions typed in lowercase).
    pub fn find(
        &self,
        text: &str,
        terms: &[text::Term],
        any_case_codes: bool,
    ) -> Vec<EntityMention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < terms.len() {
            let mut matched = 0;
            let starts_name = self.first_stems.contains(&terms[i].term);
            for len in (1..=self.longest_name.min(terms.len() - i))
                .rev()
                .filter(|_| starts_name)
            {
                let key: Vec<String> = terms[i..i + len].iter().map(|t| t.term.clone()).collect();
                if let Some(&id) = self.names.get(&key) {
                    out.push(EntityMention {
                        entity: id,
                        start: terms[i].start,
                        end: terms[i + len - 1].end,
                    });
                    matched = len;
                    break;
                }
            }
            if matched == 0 {
                let word = &text[terms[i].start..terms[i].end];
                let is_upper = word.chars().all(|c| !c.is_lowercase());
                if any_case_codes || is_upper {
                    if let Some(&id) = self.codes.get(&word.to_uppercase()) {
                        out.push(EntityMention {
                            entity: id,
                            start: terms[i].start,
                            end: terms[i].end,
                        });
                    }
                }
                matched = 1;
            }
            i += matched;
        }
        out
    }

    /// The entity a typed (possibly misspelt) word names, if any spelling is within the
    /// word's typo budget. Used on question words only.
    pub fn fuzzy_entity(&self, word: &str) -> Option<EntityId> {
        let lower: Vec<char> = word.to_lowercase().chars().collect();
        let budget = text::typo_budget_chars(lower.len());
        if budget == 0 {
            return None;
        }
        let mut best: Option<(usize, EntityId)> = None;
        for (spelling, id) in &self.fuzzy {
            // Most spellings differ in length by more than the budget: no distance needed.
            if spelling.len().abs_diff(lower.len()) > budget
                || !text::could_be_typo(&lower, spelling)
            {
                continue;
            }
            let d = text::edit_distance_chars(&lower, spelling, budget);
            if d <= budget && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, *id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// Stems that should also match a query stem: the other spellings of its entity and
    /// the other words of its synonym groups. Does not include the stem itself.
    pub fn expansions(&self, stem: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let entity = self
            .names
            .get(&vec![stem.to_string()])
            .copied()
            .or_else(|| self.codes.get(&stem.to_uppercase()).copied());
        if let Some(id) = entity {
            for (key, &eid) in &self.names {
                if eid == id && key.len() == 1 && key[0] != stem && !out.contains(&key[0]) {
                    out.push(key[0].clone());
                }
            }
        }
        if let Some(gs) = self.synonyms.get(stem) {
            for &g in gs {
                for s in &self.groups[g] {
                    if s != stem && !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// True when two stems are the same word, aliases or synonyms of each other.
    pub fn same_meaning(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        if let (Some(x), Some(y)) = (
            self.names.get(&vec![a.to_string()]),
            self.names.get(&vec![b.to_string()]),
        ) {
            if x == y {
                return true;
            }
        }
        match (self.synonyms.get(a), self.synonyms.get(b)) {
            (Some(ga), Some(gb)) => ga.iter().any(|g| gb.contains(g)),
            _ => false,
        }
    }

    /// Number of synonym groups (for diagnostics).
    pub fn synonym_groups(&self) -> usize {
        self.raw_groups.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_names(a: &Aliases, s: &str, any_case: bool) -> Vec<String> {
        let mut an = text::analyzer();
        let terms = text::terms(&mut an, s);
        a.find(s, &terms, any_case)
            .into_iter()
            .map(|m| a.entity(m.entity).name.clone())
            .collect()
    }

    #[test]
    fn builtin_table_parses() {
        let a = Aliases::parse(DEFAULT_ALIASES, "test").expect("default aliases parse");
        assert!(a.entities().len() > 10);
        assert!(a.synonym_groups() > 5);
    }

    #[test]
    fn finds_spellings_inflections_and_codes() {
        let a = Aliases::builtin();
        assert_eq!(
            find_names(&a, "the Kyrgyz Republic and Kazakhstan's exports", false),
            vec!["Kyrgyzstan", "Kazakhstan"]
        );
        assert_eq!(
            find_names(
                &a,
                "товарооборот Казахстана с Кыргызстаном и Киргизией",
                false
            ),
            vec!["Kazakhstan", "Kyrgyzstan", "Kyrgyzstan"]
        );
        assert_eq!(
            find_names(&a, "trade KZ KG", false),
            vec!["Kazakhstan", "Kyrgyzstan"]
        );
    }

    #[test]
    fn lowercase_codes_only_in_questions() {
        let a = Aliases::builtin();
        assert!(find_names(&a, "it weighs 50 kg", false).is_empty());
        assert_eq!(
            find_names(&a, "/trade kz kg", true),
            vec!["Kazakhstan", "Kyrgyzstan"]
        );
    }

    #[test]
    fn fuzzy_entity_tolerates_typos() {
        let a = Aliases::builtin();
        let kz = a.by_name("Kazakhstan");
        assert_eq!(a.fuzzy_entity("kazahstan"), kz);
        assert_eq!(a.fuzzy_entity("kirgizstan"), a.by_name("Kyrgyzstan"));
        assert_eq!(a.fuzzy_entity("treaty"), None);
    }

    #[test]
    fn expansions_cover_names_and_synonyms() {
        let a = Aliases::builtin();
        let e = a.expansions(&text::stem_word("Kirghizia"));
        assert!(e.contains(&text::stem_word("Kyrgyzstan")), "{e:?}");
        let t = a.expansions(&text::stem_word("treaty"));
        assert!(t.contains(&text::stem_word("договор")), "{t:?}");
    }
}
