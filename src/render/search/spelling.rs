//! UK and US spellings of a word made one: the index stores, and the search
//! script looks up, each word in a canonical form, so that `behavior` finds a
//! page about `behaviour` and `organize` one that says `organise`.
//!
//! Entry point: [`canonical`]. The same table is written into the index's
//! `meta.json` ([`table`]) and `search.js` applies it word for word, so the
//! browser and the build cannot disagree. The canonical form is only a key:
//! it need not be either spelling (`behavior`, `organise`, `center`), as long
//! as both spellings of a word reach it and no two different words do. Each
//! rule therefore only applies to words long enough that the ending is a
//! suffix (`colour` but not `four` or `hour`), and the few words a rule would
//! wrongly join are listed as exceptions.

/// Endings replaced, the first that matches: (ending, replacement, shortest
/// word the rule applies to).
pub(crate) const SUFFIXES: &[(&str, &str, usize)] = &[
    // organize, organized, organizes, organizing, organization(s), organizer(s)
    ("izations", "isations", 9),
    ("ization", "isation", 8),
    ("izing", "ising", 7),
    ("izers", "isers", 7),
    ("izer", "iser", 6),
    ("izes", "ises", 6),
    ("ized", "ised", 6),
    ("ize", "ise", 6),
    // analyze, paralyzed
    ("yzing", "ysing", 7),
    ("yzed", "ysed", 6),
    ("yzes", "yses", 6),
    ("yze", "yse", 6),
    // behaviour(s), colour(ed), colourful, favourite, honourable
    ("ourfully", "orfully", 11),
    ("ourful", "orful", 9),
    ("ourless", "orless", 10),
    ("ourites", "orites", 9),
    ("ourite", "orite", 8),
    ("ourable", "orable", 9),
    ("ouring", "oring", 8),
    ("oured", "ored", 7),
    ("ours", "ors", 7),
    ("our", "or", 6),
    // centre(s), theatre, metre, fibre
    ("tres", "ters", 6),
    ("tre", "ter", 5),
    ("bres", "bers", 6),
    ("bre", "ber", 5),
    // catalogue(s), dialogue
    ("ogues", "ogs", 8),
    ("ogue", "og", 7),
    // travelled, counselling, modeller(s)
    ("elling", "eling", 8),
    ("elled", "eled", 8),
    ("ellers", "elers", 8),
    ("eller", "eler", 8),
];

/// Spellings replaced wherever they are in a word: (from, to).
pub(crate) const INFIXES: &[(&str, &str)] = &[
    ("paed", "ped"),
    ("haem", "hem"),
    ("anaem", "anem"),
    ("oestr", "estr"),
];

/// Whole words: spellings no rule above reaches, and words a rule would
/// wrongly change, which stay as they are (the word maps to itself).
pub(crate) const EXCEPTIONS: &[(&str, &str)] = &[
    ("programme", "program"),
    ("programmes", "programs"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practising", "practicing"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("ageing", "aging"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("skilful", "skillful"),
    ("jewellery", "jewelry"),
    ("mould", "mold"),
    ("plough", "plow"),
    ("grey", "gray"),
    ("diarrhoea", "diarrhea"),
    ("manoeuvre", "maneuver"),
    // Words the rules would join with another word, or mangle.
    ("capsize", "capsize"),
    ("citizen", "citizen"),
    ("seizes", "seizes"),
    ("contour", "contour"),
    ("detour", "detour"),
    ("devour", "devour"),
    ("paediatric", "pediatric"),
    ("excelled", "excelled"),
    ("compelled", "compelled"),
    ("impelled", "impelled"),
    ("repelled", "repelled"),
    ("dispelled", "dispelled"),
    ("propelled", "propelled"),
    ("expelled", "expelled"),
    ("rebelled", "rebelled"),
    ("excelling", "excelling"),
    ("compelling", "compelling"),
    ("repelling", "repelling"),
    ("rebelling", "rebelling"),
    ("propelling", "propelling"),
    ("seller", "seller"),
    ("sellers", "sellers"),
    ("speller", "speller"),
    ("teller", "teller"),
    ("storyteller", "storyteller"),
    ("bestseller", "bestseller"),
];

/// The canonical form of a lower-cased word (see the module's doc).
pub(crate) fn canonical(word: &str) -> String {
    if let Some((_, to)) = EXCEPTIONS.iter().find(|(from, _)| *from == word) {
        return (*to).to_string();
    }
    let mut word = word.to_string();
    let letters = word.chars().count();
    if let Some((from, to, _)) = SUFFIXES
        .iter()
        .find(|(from, _, shortest)| letters >= *shortest && word.ends_with(from))
    {
        word.truncate(word.len() - from.len());
        word.push_str(to);
    }
    for (from, to) in INFIXES {
        if word.contains(from) {
            word = word.replace(from, to);
        }
    }
    word
}

/// The rules as JSON for `meta.json`: `{"suffixes": [[ending, replacement,
/// shortest]], "infixes": [[from, to]], "exceptions": {word: canonical}}`.
pub(crate) fn table() -> serde_json::Value {
    let exceptions: serde_json::Map<String, serde_json::Value> = EXCEPTIONS
        .iter()
        .map(|(from, to)| ((*from).to_string(), (*to).into()))
        .collect();
    serde_json::json!({
        "suffixes": SUFFIXES,
        "infixes": INFIXES,
        "exceptions": exceptions,
    })
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn uk_and_us_spellings_meet() {
        for (uk, us) in [
            ("behaviour", "behavior"),
            ("behaviours", "behaviors"),
            ("colour", "color"),
            ("coloured", "colored"),
            ("colourful", "colorful"),
            ("favourite", "favorite"),
            ("honourable", "honorable"),
            ("organise", "organize"),
            ("organised", "organized"),
            ("organising", "organizing"),
            ("organisation", "organization"),
            ("organisations", "organizations"),
            ("recognises", "recognizes"),
            ("analyse", "analyze"),
            ("paralysed", "paralyzed"),
            ("centre", "center"),
            ("centres", "centers"),
            ("theatre", "theater"),
            ("fibre", "fiber"),
            ("catalogue", "catalog"),
            ("dialogue", "dialog"),
            ("travelled", "traveled"),
            ("counselling", "counseling"),
            ("paediatric", "pediatric"),
            ("anaemia", "anemia"),
            ("programme", "program"),
            ("programmes", "programs"),
            ("defence", "defense"),
            ("licence", "license"),
            ("practise", "practice"),
            ("judgement", "judgment"),
        ] {
            assert_eq!(canonical(uk), canonical(us), "{uk} and {us}");
        }
    }

    #[test]
    fn short_and_listed_words_are_left_alone() {
        for word in [
            "four",
            "hour",
            "your",
            "tour",
            "pour",
            "size",
            "prize",
            "rogue",
            "vogue",
            "acre",
            "citizen",
            "seller",
            "compelled",
            "spelled",
            "devour",
            "school",
            "worries",
        ] {
            assert_eq!(canonical(word), word, "{word}");
        }
    }

    #[test]
    fn different_words_stay_apart() {
        for (a, b) in [
            ("seller", "seler"),
            ("compelled", "compeled"),
            ("contour", "contor"),
        ] {
            assert_ne!(canonical(a), canonical(b), "{a} and {b}");
        }
    }
}
