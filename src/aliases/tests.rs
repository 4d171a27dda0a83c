//! Tests of the alias data and of matching as documents and questions use it.

use super::*;

fn find_names(a: &Aliases, s: &str, question: bool) -> Vec<String> {
    let mut an = text::analyzer();
    let terms = text::terms(&mut an, s);
    a.find(s, &terms, question)
        .into_iter()
        .map(|m| a.entity(m.entity).name.clone())
        .collect()
}

fn in_document(s: &str) -> Vec<String> {
    find_names(&Aliases::builtin(), s, false)
}

fn in_question(s: &str) -> Vec<String> {
    find_names(&Aliases::builtin(), s, true)
}

#[test]
fn builtin_table_parses() {
    let a = Aliases::parse(DEFAULT_ALIASES, "test").expect("default aliases parse");
    assert!(a.entities().len() > 240);
    assert!(a.synonym_groups() > 5);
}

#[test]
fn every_un_member_has_a_name_in_both_languages() {
    let a = Aliases::builtin();
    for name in [
        "Vietnam",
        "Thailand",
        "Serbia",
        "Hungary",
        "Kenya",
        "Uganda",
        "Tanzania",
        "Nigeria",
        "Ghana",
        "Brazil",
        "Argentina",
        "Mexico",
        "Colombia",
        "Peru",
        "Chile",
        "Egypt",
        "Ethiopia",
        "South Africa",
        "Zimbabwe",
        "Cambodia",
        "Laos",
        "Malaysia",
        "Indonesia",
        "Philippines",
        "Albania",
        "North Macedonia",
        "Tuvalu",
        "Eswatini",
        "Taiwan",
        "Kosovo",
        "Palestine",
        "Western Sahara",
        "Hong Kong",
        "Macau",
        "ASEAN",
        "Mercosur",
        "ECOWAS",
        "BRICS",
        "OTS",
        "EAEU",
        "African Union",
        "GCC",
        "SADC",
        "EAC",
        "OPEC",
        "G20",
        "WTO",
    ] {
        let id = a.by_name(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_ne!(
            a.entity(id).ru,
            a.entity(id).name,
            "{name} has no Russian name"
        );
    }
}

#[test]
fn no_spelling_names_two_entities() {
    // Two entities claiming one stem key would attribute figures by file order.
    let file: AliasFile = toml::from_str(DEFAULT_ALIASES).expect("parses");
    let mut an = text::analyzer();
    let mut owner: HashMap<Vec<String>, String> = HashMap::new();
    let mut clashes = Vec::new();
    for e in &file.entity {
        let exact: HashSet<String> = e.exact.iter().map(|s| fold(s)).collect();
        let all = std::iter::once(&e.name)
            .chain(&e.names)
            .chain(&e.ru)
            .chain(&e.capitals)
            .filter(|s| !exact.contains(&fold(s)));
        for s in all {
            let key = stems(&mut an, s);
            if let Some(o) = owner.insert(key.clone(), e.name.clone()) {
                if o != e.name {
                    clashes.push(format!("{s}: {o} / {}", e.name));
                }
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn codes_are_unique() {
    let file: AliasFile = toml::from_str(DEFAULT_ALIASES).expect("parses");
    let mut seen: HashMap<String, String> = HashMap::new();
    for e in &file.entity {
        let mut own: Vec<&String> = e.codes.iter().chain(&e.word_codes).collect();
        own.dedup();
        for c in own {
            if let Some(o) = seen.insert(c.clone(), e.name.clone()) {
                assert_eq!(o, e.name, "code {c} is claimed twice");
            }
        }
    }
}

#[test]
fn finds_spellings_inflections_and_codes() {
    assert_eq!(
        in_document("the Kyrgyz Republic and Kazakhstan's exports"),
        vec!["Kyrgyzstan", "Kazakhstan"]
    );
    assert_eq!(
        in_document("товарооборот Казахстана с Кыргызстаном и Киргизией"),
        vec!["Kazakhstan", "Kyrgyzstan", "Kyrgyzstan"]
    );
    assert_eq!(in_document("trade KZ KG"), vec!["Kazakhstan", "Kyrgyzstan"]);
}

#[test]
fn russian_forms_news_uses_are_found() {
    for (text, name) in [
        ("экспорт Вьетнама", "Vietnam"),
        ("торговля с Вьетнамом", "Vietnam"),
        ("в Таиланде", "Thailand"),
        ("в Тайланде", "Thailand"),
        ("из Сербии", "Serbia"),
        ("импорт из Египта", "Egypt"),
        ("поставки в ЮАР", "South Africa"),
        ("СРВ и Лаос", "Vietnam"),
        ("с Грузией", "Georgia"),
        ("в Китае", "China"),
        ("Кубы", "Cuba"),
        ("с Венгрией", "Hungary"),
        ("в Кении", "Kenya"),
        ("бразильский экспорт", "Brazil"),
        ("с Филиппинами", "Philippines"),
    ] {
        assert_eq!(
            in_document(text).first().map(String::as_str),
            Some(name),
            "{text}"
        );
    }
}

#[test]
fn english_forms_news_uses_are_found() {
    assert_eq!(in_document("Kenya's exports"), vec!["Kenya"]);
    assert_eq!(in_document("the Philippines' imports"), vec!["Philippines"]);
    assert_eq!(
        in_document("U.S. tariffs on China"),
        vec!["United States", "China"]
    );
    assert_eq!(in_document("US exports"), vec!["United States"]);
    assert_eq!(
        in_document("Ivory Coast and Côte d'Ivoire"),
        vec!["Côte d'Ivoire"; 2]
    );
    assert_eq!(in_document("Burma"), vec!["Myanmar"]);
    assert_eq!(in_document("Holland"), vec!["Netherlands"]);
    assert_eq!(in_document("relations with Việt Nam"), vec!["Vietnam"]);
    assert_eq!(
        in_document("Filipino and Philippine"),
        vec!["Philippines"; 2]
    );
}

#[test]
fn ordinary_russian_words_that_share_a_name_stem_are_not_countries() {
    // "Грузия"/"грузов", "Куба"/"куб", "Китай"/"кит", "Мали"/"малых", "Дания"/"данные".
    assert!(in_document("перевозка грузов выросла").is_empty());
    assert!(in_document("40 млрд куб. м газа").is_empty());
    assert!(in_document("кит и киты").is_empty());
    assert!(in_document("малых и средних предприятий").is_empty());
    assert!(in_document("по данным статистики").is_empty());
    assert!(in_document("того же года").is_empty());
    assert!(in_document("правительство вас поддержит").is_empty());
}

#[test]
fn compounds_name_both_countries() {
    for (text, want) in [
        ("Kazakh-Chinese trade", vec!["Kazakhstan", "China"]),
        ("Sino-Russian ties", vec!["China", "Russia"]),
        ("the Russo-Japanese war", vec!["Russia", "Japan"]),
        ("Indo-Pakistani talks", vec!["India", "Pakistan"]),
        ("armenian-georgian trade", vec!["Armenia", "Georgia"]),
        ("Turkish-Azerbaijani", vec!["Turkey", "Azerbaijan"]),
        ("US-China trade", vec!["United States", "China"]),
        ("Vietnam-Thailand trade", vec!["Vietnam", "Thailand"]),
        ("Franco-German", vec!["France", "Germany"]),
        ("Austro-Hungarian", vec!["Austria", "Hungary"]),
        ("казахстанско-китайский", vec!["Kazakhstan", "China"]),
        ("российско-армянских", vec!["Russia", "Armenia"]),
        ("вьетнамско-таиландского", vec!["Vietnam", "Thailand"]),
        ("вьетнамско-российских", vec!["Vietnam", "Russia"]),
        ("армяно-грузинский", vec!["Armenia", "Georgia"]),
        ("узбекско-таджикской", vec!["Uzbekistan", "Tajikistan"]),
        ("грузино-абхазский", vec!["Georgia", "Abkhazia"]),
        ("франко-германский", vec!["France", "Germany"]),
        ("русско-китайский", vec!["Russia", "China"]),
        (
            "англо-американский",
            vec!["United Kingdom", "United States"],
        ),
    ] {
        assert_eq!(in_document(text), want, "{text}");
    }
}

#[test]
fn combining_forms_need_a_country_after_the_hyphen() {
    assert!(in_document("the Indo-Pacific region").is_empty());
    assert!(in_document("Anglo-Saxon law").is_empty());
    assert!(in_document("Sino is a prefix").is_empty());
    assert!(in_document("франко-прусская").is_empty());
}

#[test]
fn phrases_that_name_no_country() {
    assert!(in_document("Latin America and South America").is_empty());
    assert!(in_document("the South China Sea").is_empty());
    assert!(in_document("New Mexico").is_empty());
    assert!(in_document("Латинской Америки").is_empty());
    assert!(in_document("в Вашингтоне, округ Колумбия").is_empty());
}

#[test]
fn capitals_name_governments_not_places() {
    assert_eq!(
        in_document("Hanoi and Bangkok agreed to lift trade"),
        vec!["Vietnam", "Thailand"]
    );
    assert_eq!(
        in_document("Moscow and Ankara signed"),
        vec!["Russia", "Turkey"]
    );
    assert!(in_document("talks held in Hanoi").is_empty());
    assert!(in_document("переговоры в Москве").is_empty());
    assert!(in_document("the Treaty of Rome").is_empty());
    assert!(in_document("shares on the Moscow Exchange").is_empty());
    assert!(in_document("the Minsk agreements").is_empty());
}

#[test]
fn capitals_in_questions_are_keywords() {
    assert!(in_question("/timeline dam talks washington").is_empty());
    assert_eq!(
        in_question("когда встречались в москве россия и египет"),
        vec!["Russia", "Egypt"]
    );
}

#[test]
fn word_codes_are_words_in_documents() {
    for text in [
        "IT services grew",
        "IS militants",
        "at 9 AM",
        "PE funds",
        "ID cards",
        "a 40 MW plant",
    ] {
        assert!(in_document(text).is_empty(), "{text}");
    }
}

#[test]
fn lowercase_codes_only_in_questions() {
    assert!(in_document("it weighs 50 kg").is_empty());
    assert_eq!(
        in_question("/trade kz kg"),
        vec!["Kazakhstan", "Kyrgyzstan"]
    );
}

#[test]
fn question_words_are_not_codes() {
    for q in [
        "what is it in 2023",
        "no trade",
        "to the EU",
        "tell us about trade",
        "is it me or my trade",
        "so do we",
        "be at home",
        "how much by 2020",
        "WHAT IS IT IN 2023",
        "trade in 2023",
        "kz in 2023",
    ] {
        let found = in_question(q);
        assert!(
            found
                .iter()
                .all(|n| n == "European Union" || n == "Kazakhstan"),
            "{q}: {found:?}"
        );
    }
}

#[test]
fn three_letter_codes_name_countries_only_as_codes() {
    assert_eq!(in_question("col-ven trade"), vec!["Colombia", "Venezuela"]);
    assert_eq!(in_question("trade PER CHL 2024"), vec!["Peru", "Chile"]);
    for q in [
        "can peru and chile trade more",
        "trade per capita and the col de la croix",
        "mar 2024 trade",
        "AND WHAT ABOUT TRADE",
    ] {
        let found = in_question(q);
        assert!(
            found.iter().all(|n| n == "Peru" || n == "Chile"),
            "{q}: {found:?}"
        );
    }
    for text in ["CAN and PER in capitals", "The Col du Galibier", "ARE THEY"] {
        assert!(in_document(text).is_empty(), "{text}");
    }
}

#[test]
fn word_codes_count_in_upper_case_lists_and_compounds() {
    assert_eq!(
        in_question("US trade with CN"),
        vec!["United States", "China"]
    );
    assert_eq!(
        in_question("us-china trade"),
        vec!["United States", "China"]
    );
    assert_eq!(in_question("us cn 2023"), vec!["United States", "China"]);
    assert_eq!(in_question("pe cl"), vec!["Peru", "Chile"]);
    assert_eq!(in_question("IT exports"), vec!["Italy"]);
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
    assert!(
        a.expansions("us").is_empty(),
        "a word code is no search alias"
    );
    let g = a.expansions(&text::stem_word("Georgia"));
    assert!(!g.contains(&text::stem_word("грузов")), "{g:?}");
}

#[test]
fn neighbouring_names_keep_their_own_countries() {
    for (q, want) in [
        ("iran iraq", vec!["Iran", "Iraq"]),
        ("niger nigeria", vec!["Niger", "Nigeria"]),
        ("austria australia", vec!["Austria", "Australia"]),
        ("slovenia slovakia", vec!["Slovenia", "Slovakia"]),
        (
            "chad jordan guinea georgia",
            vec!["Chad", "Jordan", "Guinea", "Georgia"],
        ),
        ("turkey exports", vec!["Turkey"]),
        ("нигер нигерия", vec!["Niger", "Nigeria"]),
    ] {
        assert_eq!(in_question(q), want, "{q}");
    }
    assert!(in_question("new jersey chili mail").is_empty());
}

#[test]
fn a_stem_without_other_forms_means_only_itself() {
    let a = Aliases::builtin();
    let mut an = text::analyzer();
    let stems: Vec<String> = text::terms(
        &mut an,
        "ties relations treaty pact agreement kernel module договор Kazakhstan Kazakh \
         казахстанский trade turnover established set visit",
    )
    .into_iter()
    .map(|t| t.term)
    .collect();
    let mut related = 0;
    for x in &stems {
        for y in &stems {
            if x != y && a.same_meaning(x, y) {
                related += 1;
                assert!(a.has_other_forms(y), "{x} ~ {y}");
            }
        }
    }
    // The list holds synonyms and names, so the check above is not vacuous.
    assert!(related >= 4, "{related}");
    assert!(!a.has_other_forms("kernel"));
}
