//! The search index under `search/`, read back as the search script reads
//! it: a word's shard found by binary search over `meta.json`'s first words,
//! its postings decoded, each document's record inflated from its pack at
//! the offset the facets table gives. The script's own steps (stem guesses,
//! prefixes, typo search, filter counts) run over exactly this data.

use std::io::Read;

use crate::fixtures::{BASE_PATH, Build, SITE_YAML, TestSite};

/// The index of a built site.
struct Index {
    meta: serde_json::Value,
    facets: serde_json::Value,
    shards: Vec<Vec<serde_json::Value>>,
    records: Vec<serde_json::Value>,
}

/// One document that has a word: its URL, the field (0 title, 1 heading,
/// 2 body) and the heading id of the section where the word first occurs.
#[derive(Debug, PartialEq, Eq)]
struct Hit {
    url: String,
    field: u64,
    heading: Option<String>,
}

impl Index {
    fn read(build: &Build) -> Index {
        let meta: serde_json::Value =
            serde_json::from_str(&build.read("search/meta.json")).expect("meta.json is JSON");
        let facets: serde_json::Value =
            serde_json::from_str(&build.read("search/facets.json")).expect("facets.json is JSON");
        let shards = meta["shard_files"]
            .as_array()
            .expect("shard files")
            .iter()
            .map(|path| {
                serde_json::from_str(&build.read(path.as_str().expect("a path")))
                    .expect("a shard is JSON")
            })
            .collect();
        let records = records(build, &meta, &facets);
        Index {
            meta,
            facets,
            shards,
            records,
        }
    }

    /// The shard the script loads for `word`.
    fn shard_of(&self, word: &str) -> &[serde_json::Value] {
        let firsts = self.meta["shards"].as_array().expect("shards");
        let at = firsts.partition_point(|f| f.as_str().is_some_and(|f| f <= word));
        &self.shards[at.saturating_sub(1)]
    }

    /// The entry of `word` in its shard: `[word, postings, forms?]`.
    fn entry(&self, word: &str) -> Option<&serde_json::Value> {
        self.shard_of(word).iter().find(|e| e[0] == word)
    }

    /// The documents that have `word`, as the script decodes its postings.
    fn hits(&self, word: &str) -> Vec<Hit> {
        let Some(entry) = self.entry(word) else {
            return Vec::new();
        };
        let postings: Vec<u64> = entry[1]
            .as_array()
            .expect("postings")
            .iter()
            .map(|n| n.as_u64().expect("a number"))
            .collect();
        let mut doc = 0;
        postings
            .chunks(2)
            .map(|pair| {
                doc += pair[0] as usize;
                let record = &self.records[doc];
                let section = (pair[1] >> 2) as usize;
                let heading = (section > 0).then(|| {
                    record["h"][section - 1][0]
                        .as_str()
                        .expect("an id")
                        .to_string()
                });
                Hit {
                    url: record["u"].as_str().expect("a URL").to_string(),
                    field: pair[1] & 3,
                    heading,
                }
            })
            .collect()
    }

    fn urls(&self, word: &str) -> Vec<String> {
        self.hits(word).into_iter().map(|h| h.url).collect()
    }

    /// The other words of `word`'s stem that the index lists with it.
    fn forms(&self, word: &str) -> Vec<String> {
        self.entry(word)
            .and_then(|e| e[2].as_array())
            .map(|forms| {
                forms
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn document(&self, url: &str) -> usize {
        self.records
            .iter()
            .position(|r| r["u"] == url)
            .unwrap_or_else(|| panic!("no record for {url}"))
    }
}

/// Every record, inflated from its pack at the offsets the lengths in the
/// facets table add up to.
fn records(
    build: &Build,
    meta: &serde_json::Value,
    facets: &serde_json::Value,
) -> Vec<serde_json::Value> {
    let lengths: Vec<usize> = facets["l"]
        .as_array()
        .expect("lengths")
        .iter()
        .map(|l| l.as_u64().expect("a length") as usize)
        .collect();
    let packs = meta["packs"].as_array().expect("packs");
    let dictionary = inflate(
        &[],
        &build.read_bytes(meta["dictionary"].as_str().expect("a path")),
    );
    let mut records = Vec::new();
    for (p, pack) in packs.iter().enumerate() {
        let bytes = build.read_bytes(pack[0].as_str().expect("a pack path"));
        let first = pack[1].as_u64().expect("first document") as usize;
        let end = packs.get(p + 1).map_or(lengths.len(), |next| {
            next[1].as_u64().expect("first") as usize
        });
        let mut at = 0;
        for len in &lengths[first..end] {
            records.push(record(&dictionary, &bytes[at..at + len]));
            at += len;
        }
        assert_eq!(at, bytes.len(), "the lengths add up to the pack");
    }
    records
}

/// A record as the script inflates it: after the dictionary, as a stored
/// block, whose bytes are then dropped.
fn record(dictionary: &[u8], bytes: &[u8]) -> serde_json::Value {
    let length = u16::try_from(dictionary.len()).expect("a dictionary of under 64 KB");
    let mut stored = vec![0];
    stored.extend(length.to_le_bytes());
    stored.extend((!length).to_le_bytes());
    stored.extend(dictionary);
    let text = inflate(&stored, bytes);
    let text = std::str::from_utf8(&text[dictionary.len()..]).expect("a record is UTF-8");
    serde_json::from_str(text).expect("a record is JSON")
}

/// `before` and then `bytes`, raw-inflated as one stream.
fn inflate(before: &[u8], bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(before.chain(bytes))
        .read_to_end(&mut out)
        .expect("inflates");
    out
}

fn page(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{front}---\n{body}\n")
}

/// A small site with a word in the middle of a long body, inflected and
/// UK-spelt words, a heading, and a partner with topics and an audience.
fn search_site() -> TestSite {
    let filler = "Schools plan each term with care and review the plan with staff. ".repeat(40);
    TestSite::new()
        .file(
            "content/anxiety.md",
            &page(
                "Anxiety in pupils",
                "summary: Supporting anxious pupils.\ntopics: [mental-health]\naudiences: [staff]\n",
                &format!(
                    "{filler}\n\nA quiet zebracrossing of ideas sits here.\n\n{filler}\n\n## When pupils have worries\n\nTalk with them about their day.\n"
                ),
            ),
        )
        .file(
            "content/behaviour.md",
            &page(
                "Managing classroom behaviour",
                "topics: [resilience]\naudiences: [staff, parents]\nkey_stages: [KS2]\n",
                "Organise calm routines; a colourful display helps.\n\n## Safeguarding\n\nFollow the school policy.\n",
            ),
        )
        .file(
            "content/partners/nspcc.md",
            &page(
                "NSPCC",
                "summary: The children's charity.\ntopics: [resilience, online-safety]\naudiences: [parents]\n",
                "Speak out Stay safe assemblies on a routine visit.\n",
            ),
        )
}

#[test]
fn a_word_in_the_middle_of_one_body_finds_its_page() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    assert_eq!(index.urls("zebracrossing"), ["anxiety/"]);
    assert_eq!(index.hits("zebracrossing")[0].field, 2);
    // Common words of every page are kept too, and stop words are not.
    assert_eq!(index.urls("schools"), ["anxiety/"]);
    assert!(index.entry("the").is_none());
}

#[test]
fn a_word_finds_the_pages_of_other_forms_of_it() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    // `worries` is the page's word; `worried`, a reader's, stems to `worri`,
    // which the index lists with every word of that stem.
    assert_eq!(index.urls("worries"), ["anxiety/"]);
    assert!(index.entry("worried").is_none());
    assert_eq!(index.forms("worri"), ["worries"]);
    // Words of the same stem name each other.
    assert_eq!(index.forms("routine"), ["routines"]);
    assert_eq!(index.forms("routines"), ["routine"]);
    assert_eq!(index.urls("routine"), ["partners/nspcc/"]);
}

#[test]
fn uk_and_us_spellings_are_stored_as_one() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    for us in ["behavior", "organize", "colorful"] {
        let canonical = canonical(&index, us);
        assert_eq!(index.urls(&canonical), ["behaviour/"], "{us} → {canonical}");
    }
    assert!(index.entry("behaviour").is_none());
}

/// The script's spelling step, from the table in meta.json.
fn canonical(index: &Index, word: &str) -> String {
    let table = &index.meta["spelling"];
    if let Some(to) = table["exceptions"][word].as_str() {
        return to.to_string();
    }
    let mut word = word.to_string();
    for rule in table["suffixes"].as_array().expect("suffixes") {
        let (from, to) = (rule[0].as_str().expect("s"), rule[1].as_str().expect("s"));
        let shortest = rule[2].as_u64().expect("n") as usize;
        if word.chars().count() >= shortest && word.ends_with(from) {
            word = format!("{}{to}", &word[..word.len() - from.len()]);
            break;
        }
    }
    word
}

#[test]
fn a_one_letter_typo_lands_in_the_shard_of_the_word_it_misspells() {
    let words: String = (0..4000).map(|i| format!("w{i:04}a{i}x ")).collect();
    let build = search_site()
        .file("content/many.md", &page("Many words", "", &words))
        .build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    assert!(index.shards.len() > 2, "{} shards", index.shards.len());
    let shard = index.shard_of("safegaurding");
    assert!(shard.iter().any(|e| e[0] == "safeguarding"));
    // Each shard stays small: the script loads one per query word.
    for path in index.meta["shard_files"].as_array().expect("shard files") {
        let path = path.as_str().expect("a path");
        let len = build.read(path).len();
        assert!(len < 60_000, "{path} is {len} bytes");
    }
}

#[test]
fn a_heading_match_records_the_heading_id() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    assert_eq!(
        index.hits("safeguarding"),
        [Hit {
            url: "behaviour/".into(),
            field: 1,
            heading: Some("safeguarding".into()),
        }]
    );
    assert_eq!(
        index.hits("policy")[0].heading.as_deref(),
        Some("safeguarding")
    );
    assert_eq!(index.hits("managing")[0].field, 0);
    let record = &index.records[index.document("anxiety/")];
    assert_eq!(record["t"], "Anxiety in pupils");
    assert_eq!(record["s"], "Supporting anxious pupils.");
    assert_eq!(
        record["h"],
        serde_json::json!([["when-pupils-have-worries", "When pupils have worries"]])
    );
    assert_eq!(record["x"][1], "Talk with them about their day.");
}

#[test]
fn the_facets_table_gives_each_page_its_kind_topics_and_audiences() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    let facets = |url: &str| {
        let d = index.document(url);
        let k = index.facets["k"][d].as_u64().expect("k");
        let t = index.facets["t"][d].as_u64().expect("t");
        (k & 3, t, (k >> 2) & 15, (k >> 6) & 63)
    };
    // Topics in site.yaml's order: resilience 1, online-safety 2,
    // mental-health 4. Audiences: staff 1, parents 2. Key stages: KS2 4.
    assert_eq!(facets("anxiety/"), (0, 4, 1, 0));
    assert_eq!(facets("behaviour/"), (0, 1, 3, 4));
    assert_eq!(facets("partners/nspcc/"), (1, 3, 2, 0));
    assert_eq!(
        index.meta["facets"]["topic"][0],
        serde_json::json!(["resilience", "Resilience"])
    );
    assert_eq!(index.meta["facets"]["kind"][1][1], "Partner");
}

#[test]
fn synonyms_from_site_yaml_are_in_the_index_lower_cased() {
    let build = search_site()
        .site_yaml(&format!(
            "{SITE_YAML}search:\n  synonyms:\n    CSE: Child sexual exploitation\n"
        ))
        .build(&[]);
    build.assert_ok();
    let index = Index::read(&build);
    assert_eq!(
        index.meta["synonyms"],
        serde_json::json!({"cse": "child sexual exploitation"})
    );
}

#[test]
fn an_unknown_key_under_search_is_reported_at_its_line() {
    let build = search_site()
        .site_yaml(&format!("{SITE_YAML}search:\n  synonym:\n    CSE: x\n"))
        .build(&[]);
    build.assert_failed();
    let stderr = build.stderr.as_str();
    assert!(stderr.contains("site.yaml:10:3"), "{stderr}");
    assert!(stderr.contains("`synonym`"), "{stderr}");
    assert!(stderr.contains("`synonyms`"), "{stderr}");
}

/// The index's files of a build, by path: all but the search page itself.
fn index_files(build: &Build) -> std::collections::BTreeMap<String, Vec<u8>> {
    build
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/") && f != "search/index.html")
        .map(|f| {
            let bytes = build.read_bytes(&f);
            (f, bytes)
        })
        .collect()
}

#[test]
fn an_index_file_keeps_its_name_only_while_its_bytes_are_the_same() {
    // A reader's browser may keep any file it fetched. The script asks the
    // server for meta.json and facets.json each time; every other file is
    // named by its bytes, so a kept one is never read with a newer meta.json.
    let site = search_site();
    let first = site.build(&["--output", "first"]);
    first.assert_ok();
    // The same site gives the same names: a browser keeps what it fetched.
    let again = site.build(&["--output", "again"]);
    let (once, twice) = (index_files(&first), index_files(&again));
    assert_eq!(
        once.keys().collect::<Vec<_>>(),
        twice.keys().collect::<Vec<_>>()
    );
    assert!(once == twice, "the same site gave other bytes");
    let site = site.file(
        "content/crossing.md",
        &page("Crossing safely", "", "Walk to school with a grown-up."),
    );
    let second = site.build(&["--output", "second"]);
    second.assert_ok();
    let (before, after) = (index_files(&first), index_files(&second));
    for (path, bytes) in &after {
        if let Some(old) = before.get(path)
            && !path.ends_with("/meta.json")
            && !path.ends_with("/facets.json")
        {
            assert!(old == bytes, "{path} changed but kept its name");
        }
    }
    let index = Index::read(&second);
    let shard_of_grown = index.meta["shard_files"][index.meta["shards"]
        .as_array()
        .expect("first words")
        .partition_point(|f| f.as_str().is_some_and(|f| f <= "grown"))
        - 1]
    .as_str()
    .expect("a path");
    assert!(after.contains_key(shard_of_grown));
    assert!(
        !before.contains_key(shard_of_grown),
        "the shard with the new word kept its name: {shard_of_grown}"
    );
    // Everything meta.json names is there.
    let packs = index.meta["packs"].as_array().expect("packs");
    let named = index.meta["shard_files"].as_array().expect("shard files");
    for path in named.iter().chain(packs.iter().map(|p| &p[0])) {
        let path = path.as_str().expect("a path");
        assert!(after.contains_key(path), "{path} is not in the output");
    }
    assert!(after.contains_key(index.meta["dictionary"].as_str().expect("a path")));
}

#[test]
fn the_search_page_points_the_script_at_meta_json() {
    let build = search_site().build(&[]);
    build.assert_ok();
    let html = build.read("search/index.html");
    assert!(html.contains(&format!(
        "data-search-index=\"{BASE_PATH}search/meta.json\""
    )));
    assert!(html.contains("role=\"status\""));
    assert!(html.contains("data-search-filters"));
}

#[test]
fn script_like_text_is_escaped_in_every_json_file_of_the_index() {
    let build = search_site()
        .file(
            "content/odd.md",
            &page(
                "\"Odd </script><script>alert(1)</script> title\"",
                "",
                "Text.",
            ),
        )
        .build(&[]);
    build.assert_ok();
    for file in build.files() {
        if file.starts_with("search/") && file.ends_with(".json") {
            assert!(!build.read(&file).contains('<'), "{file}");
        }
    }
    let index = Index::read(&build);
    let odd = index.document("odd/");
    assert_eq!(
        index.records[odd]["t"],
        "Odd </script><script>alert(1)</script> title"
    );
}

#[test]
fn a_protected_page_gives_the_index_its_title_and_summary_only() {
    const VARIABLE: &str = "BOUNCE_TEST_SEARCH_PASSCODE";
    let site = search_site()
        .site_yaml(&format!(
            "{SITE_YAML}passcodes:\n  schools:\n    env: {VARIABLE}\n    ask: Email us.\n"
        ))
        .file(
            "content/resources/lesson.md",
            &page(
                "Thinking traps lesson",
                "summary: A lesson for schools with the passcode.\nkind: lesson-plan\nurl: https://example.org/\naccess: passcode\n",
                "## Circle time\n\nPupils describe a quokkamoment honestly.\n",
            ),
        );
    let root = site.root().to_string_lossy().into_owned();
    let env = [(VARIABLE, "correct horse battery staple")];
    let build = site.run_with_env(&["build", "--root", &root], &env, site.path("output"));
    build.assert_ok();
    let index = Index::read(&build);
    assert_eq!(index.urls("traps"), ["resources/lesson/"]);
    assert_eq!(index.urls("passcode"), ["resources/lesson/"]);
    let record = &index.records[index.document("resources/lesson/")];
    assert_eq!(record["h"], serde_json::json!([]));
    assert_eq!(record["x"], serde_json::json!([]));
    // No body word in any file of the index, the records inflated.
    let mut texts: Vec<String> = build
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/") && !f.ends_with(".bin"))
        .map(|f| build.read(&f))
        .collect();
    texts.extend(index.records.iter().map(|r| r.to_string()));
    for text in texts {
        for secret in ["quokkamoment", "circle", "describe", "honestly"] {
            assert!(!text.to_lowercase().contains(secret), "{secret} in {text}");
        }
    }
}
