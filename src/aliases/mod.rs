//! Names that mean the same thing: countries, territories, blocs and organisations with
//! their spellings in several languages, and word groups that should find each other. The
//! data lives in a TOML file (`index/aliases.toml` by default), never in code; this module
//! parses it into maps keyed by stem and answers "which entity is this word?".
//! [`find`] owns the matching rules (codes, capitals, compounds), [`fuzzy`] typo repair.

mod find;
mod fuzzy;

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use serde::Deserialize;

use crate::text;

/// The default alias data, used when no file is configured or found. It is the same file
/// that ships in `index/aliases.toml`, compiled in so the library works from anywhere.
pub const DEFAULT_ALIASES: &str = include_str!("../../index/aliases.toml");

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
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    entity: Vec<EntityEntry>,
    #[serde(default)]
    not_entities: NotEntities,
    #[serde(default)]
    matching: Matching,
    #[serde(default)]
    fuzzy: FuzzyEntry,
    #[serde(default)]
    synonyms: Vec<SynonymEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityEntry {
    name: String,
    #[serde(default)]
    ru: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    word_codes: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    capitals: Vec<String>,
    #[serde(default)]
    combining: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotEntities {
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matching {
    #[serde(default)]
    locative: Vec<String>,
    #[serde(default)]
    not_after_capital: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FuzzyEntry {
    #[serde(default)]
    not_typos: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SynonymEntry {
    words: Vec<String>,
}

/// A country, territory, bloc or organisation.
#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    pub ru: String,
    pub codes: Vec<String>,
    /// Every spelling matched by stem, as written in the file (for typo repair and search).
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

/// What a sequence of stems names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Entity(EntityId),
    /// A capital: the government only where the capital rule allows.
    Capital(EntityId),
    /// A compound's first part ("Sino"): only before a hyphen and another entity.
    Combining(EntityId),
    /// A phrase that names nothing ("Latin America").
    Nothing,
}

/// The name keys that can start at one stem.
#[derive(Debug, Clone, Default)]
struct Start {
    /// Lengths (in stems) of the keys starting here, longest first.
    lengths: Vec<usize>,
    /// Some exact spelling has this stem: look the word itself up.
    exact: bool,
}

/// The loaded alias tables.
#[derive(Debug, Clone)]
pub struct Aliases {
    entities: Vec<Entity>,
    /// Stems of a name joined by [`KEY_SEP`] → what it names.
    names: FxHashMap<String, Target>,
    /// First stem of every key: most words start none and are skipped at one lookup.
    starts: FxHashMap<String, Start>,
    /// Lowercased words (`ё` read as `е`) matched as written.
    exact: FxHashMap<String, EntityId>,
    /// Codes in upper case.
    codes: FxHashMap<String, EntityId>,
    word_codes: FxHashMap<String, EntityId>,
    longest_code: usize,
    /// Stem of a Russian adjective without its ending ("армян" of "армянский").
    ru_bases: FxHashMap<String, EntityId>,
    /// One-word stems of each entity's spellings, for search expansion.
    entity_stems: Vec<Vec<String>>,
    locative: FxHashSet<String>,
    not_after_capital: FxHashSet<String>,
    fuzzy: fuzzy::FuzzyIndex,
    /// Stem → the synonym groups (as stems) it belongs to.
    synonyms: HashMap<String, Vec<usize>>,
    groups: Vec<Vec<String>>,
    /// The words of each synonym group as written.
    raw_groups: Vec<Vec<String>>,
}

/// Joins the stems of a multi-word name into one map key.
const KEY_SEP: char = '\u{1}';

/// `ё` and `е` are one letter to every matcher, as to the analyzer.
fn fold(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

fn stems(analyzer: &mut tantivy::tokenizer::TextAnalyzer, s: &str) -> Vec<String> {
    text::terms(analyzer, s)
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// The base a Russian "-о-" compound's first part is built on: "армянский" → "армян"
/// ("армяно-грузинский"), "монгольский" → "монгол" ("монголо-китайский").
fn ru_adjective_base(spelling: &str) -> Option<String> {
    let w = fold(spelling);
    if !text::is_cyrillic(&w) {
        return None;
    }
    let base = w
        .strip_suffix("ский")
        .or_else(|| w.strip_suffix("цкий").map(|b| b.trim_end_matches('ц')))?;
    let base = base.strip_suffix('ь').unwrap_or(base);
    (base.chars().count() >= 3).then(|| base.to_string())
}

impl Aliases {
    /// Parses alias data from TOML text; `origin` names it in errors.
    pub fn parse(toml_text: &str, origin: &str) -> Result<Self, AliasError> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| AliasError::Parse {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        let mut analyzer = text::analyzer();
        let mut table = Aliases::empty();
        let mut combining: Vec<(String, EntityId)> = Vec::new();
        let mut capitals: Vec<(String, EntityId)> = Vec::new();
        for (id, e) in file.entity.into_iter().enumerate() {
            let exact: HashSet<String> = e.exact.iter().map(|s| fold(s)).collect();
            let mut spellings = vec![e.name.clone()];
            spellings.extend(e.names.iter().cloned());
            spellings.extend(e.ru.iter().cloned());
            spellings.retain(|s| !exact.contains(&fold(s)));
            let mut own_stems = Vec::new();
            for s in &spellings {
                let key = stems(&mut analyzer, s);
                if key.len() == 1 && !own_stems.contains(&key[0]) {
                    own_stems.push(key[0].clone());
                }
                table.add_name(&key, Target::Entity(id), false);
                if let Some(base) = ru_adjective_base(s) {
                    table.ru_bases.entry(base).or_insert(id);
                }
            }
            for s in &e.exact {
                table.exact.entry(fold(s)).or_insert(id);
                for k in stems(&mut analyzer, s) {
                    table.starts.entry(k).or_default().exact = true;
                }
            }
            for c in &e.codes {
                table.codes.insert(c.to_uppercase(), id);
            }
            for c in &e.word_codes {
                table.word_codes.insert(c.to_uppercase(), id);
            }
            capitals.extend(e.capitals.iter().map(|c| (c.clone(), id)));
            combining.extend(e.combining.iter().map(|c| (c.clone(), id)));
            let mut typed = spellings.clone();
            typed.extend(e.exact.iter().cloned());
            table.fuzzy.add(&typed, id);
            table.entity_stems.push(own_stems);
            table.entities.push(Entity {
                ru: e.ru.unwrap_or_else(|| e.name.clone()),
                name: e.name,
                codes: e.codes,
                spellings,
            });
        }
        // A name of a country wins over a capital or a compound part with the same stems.
        for (c, id) in capitals {
            table.add_name(&stems(&mut analyzer, &c), Target::Capital(id), false);
        }
        for (c, id) in combining {
            table.add_name(&stems(&mut analyzer, &c), Target::Combining(id), false);
        }
        // ...and a phrase that names nothing wins over everything.
        for n in &file.not_entities.names {
            table.add_name(&stems(&mut analyzer, n), Target::Nothing, true);
        }
        for s in table.starts.values_mut() {
            s.lengths.sort_unstable_by(|a, b| b.cmp(a));
        }
        table.longest_code = table
            .codes
            .keys()
            .chain(table.word_codes.keys())
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        table.locative = file.matching.locative.iter().map(|w| fold(w)).collect();
        table.not_after_capital = file
            .matching
            .not_after_capital
            .iter()
            .map(|w| fold(w))
            .collect();
        table.fuzzy.never(&file.fuzzy.not_typos);
        for (gi, g) in file.synonyms.into_iter().enumerate() {
            let mut group = Vec::new();
            for w in &g.words {
                for s in stems(&mut analyzer, w) {
                    if !group.contains(&s) {
                        group.push(s);
                    }
                }
            }
            for s in &group {
                table.synonyms.entry(s.clone()).or_default().push(gi);
            }
            table.groups.push(group);
            table.raw_groups.push(g.words);
        }
        Ok(table)
    }

    /// Records a name key; the first entry of a key wins unless `replace`.
    fn add_name(&mut self, key: &[String], target: Target, replace: bool) {
        let Some(first) = key.first() else {
            return;
        };
        let joined = key.join(&KEY_SEP.to_string());
        match self.names.entry(joined) {
            std::collections::hash_map::Entry::Occupied(mut o) if replace => {
                o.insert(target);
            }
            std::collections::hash_map::Entry::Occupied(_) => return,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(target);
            }
        }
        let start = self.starts.entry(first.clone()).or_default();
        if !start.lengths.contains(&key.len()) {
            start.lengths.push(key.len());
        }
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
            names: FxHashMap::default(),
            starts: FxHashMap::default(),
            exact: FxHashMap::default(),
            codes: FxHashMap::default(),
            word_codes: FxHashMap::default(),
            longest_code: 0,
            ru_bases: FxHashMap::default(),
            entity_stems: Vec::new(),
            locative: FxHashSet::default(),
            not_after_capital: FxHashSet::default(),
            fuzzy: fuzzy::FuzzyIndex::default(),
            synonyms: HashMap::new(),
            groups: Vec::new(),
            raw_groups: Vec::new(),
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

    /// The entity a one-stem name, or a code that is no ordinary word, names.
    fn entity_of_stem(&self, stem: &str) -> Option<EntityId> {
        match self.names.get(stem) {
            Some(Target::Entity(id)) => Some(*id),
            Some(_) => None,
            None => {
                let code = stem.to_uppercase();
                if self.word_codes.contains_key(&code) {
                    None
                } else {
                    self.codes.get(&code).copied()
                }
            }
        }
    }

    /// Stems that should also match a query stem: the other spellings of its entity and
    /// the other words of its synonym groups. Does not include the stem itself.
    pub fn expansions(&self, stem: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some(id) = self.entity_of_stem(stem) {
            for s in &self.entity_stems[id] {
                if s != stem && !out.contains(s) {
                    out.push(s.clone());
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

    /// Whether a stem has aliases or synonyms at all: when it has none, [`Self::same_meaning`]
    /// with it is plain equality, and a scan over a vocabulary can skip the lookups.
    pub fn has_other_forms(&self, stem: &str) -> bool {
        self.names.contains_key(stem) || self.synonyms.contains_key(stem)
    }

    /// True when two stems are the same word, aliases or synonyms of each other.
    pub fn same_meaning(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        if let (Some(Target::Entity(x)), Some(Target::Entity(y))) =
            (self.names.get(a), self.names.get(b))
        {
            if x == y {
                return true;
            }
        }
        match (self.synonyms.get(a), self.synonyms.get(b)) {
            (Some(ga), Some(gb)) => ga.iter().any(|g| gb.contains(g)),
            _ => false,
        }
    }

    /// The entity a typed (possibly misspelt) word names, if any spelling is within the
    /// word's typo budget and no other entity is as close. Used on question words only.
    pub fn fuzzy_entity(&self, word: &str) -> Option<EntityId> {
        self.fuzzy.entity(word)
    }

    /// Number of synonym groups (for diagnostics).
    pub fn synonym_groups(&self) -> usize {
        self.raw_groups.len()
    }
}

#[cfg(test)]
mod tests;
