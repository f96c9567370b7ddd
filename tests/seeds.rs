//! The bundled seed documents must parse exactly: the 23 stories, in order, with
//! their dates, headlines, bylines, sources and ids, and none of the page furniture.
//! Checked through `sitrep list --json` (bundled and on-disk copies) and the library API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use sitrep::loader;
use sitrep::story::Library;

const DIGEST: &str = "Health and care sector latest developments";
const MONTH: &str = "The Month";

/// One expected story: id, date, headline, byline, source, paragraph count, file.
struct Want {
    id: &'static str,
    date: &'static str,
    headline: &'static str,
    byline: Option<&'static str>,
    source: &'static str,
    paras: usize,
    file: &'static str,
}

const F000: &str = "000_b67bd90313a62b7f.txt";
const F001: &str = "001_d4199d58d9585a3b.txt";
const F002: &str = "002_c9252000ea79d87e.txt";
const F003: &str = "003_cc69f91cf3659b82.txt";
const F004: &str = "004_b8399ad4387e3a20.txt";

#[rustfmt::skip]
const WANT: [Want; 23] = [
    Want { id: "6a4c54f35c3485d6", date: "2026-02-03", headline: "More strikes unlikely amid “increasingly positive” negotiations, says doctors’ leader", byline: None, source: DIGEST, paras: 6, file: F001 },
    Want { id: "45bf5b75724f34ae", date: "2026-02-03", headline: "BMA to appeal court decision on PAs", byline: None, source: DIGEST, paras: 3, file: F001 },
    Want { id: "619b438f50c942ae", date: "2026-02-03", headline: "Women's health strategy to be published in spring", byline: None, source: DIGEST, paras: 3, file: F001 },
    Want { id: "372f491ff802f9a1", date: "2026-02-03", headline: "Travel costs to be covered for families of children with cancer", byline: None, source: DIGEST, paras: 6, file: F001 },
    Want { id: "5160d37bc189dd2a", date: "2026-02-03", headline: "Bid to overhaul key emergency target", byline: None, source: DIGEST, paras: 6, file: F001 },
    Want { id: "00e1d1c64310055e", date: "2026-02-03", headline: "ICB declares ‘very serious’ £200 million deficit", byline: None, source: DIGEST, paras: 6, file: F001 },
    Want { id: "8006d49ff95aaf44", date: "2026-02-03", headline: "Joss Bigmore appointed chair of Surrey hospitals group", byline: None, source: DIGEST, paras: 4, file: F001 },
    Want { id: "d2ee2502eeeaee19", date: "2025-12-11", headline: "Streeting makes new offer to resident doctors in bid to avert strikes", byline: None, source: DIGEST, paras: 9, file: F000 },
    Want { id: "5d3a758f57872f48", date: "2025-12-11", headline: "NHS trust performance league tables process and results publishes", byline: None, source: DIGEST, paras: 8, file: F000 },
    Want { id: "d44531ac567b2a92", date: "2025-12-11", headline: "NHS monthly statistics publishes and NHS England warns about rising flu hospitalisations", byline: None, source: DIGEST, paras: 5, file: F000 },
    Want { id: "31034cf7cedd8ac6", date: "2025-12-11", headline: "New partnership to explore the role of AI in mental health services", byline: None, source: DIGEST, paras: 4, file: F000 },
    Want { id: "bcd7f1c8bb6abcb8", date: "2025-12-11", headline: "Maternity survey shows mixed performance across review trusts", byline: None, source: DIGEST, paras: 3, file: F000 },
    Want { id: "ea9c3ecbe0a99cd1", date: "2025-12", headline: "End of year message to NHS leadership", byline: Some("Jim Mackey, Chief Executive, NHS England"), source: MONTH, paras: 9, file: F003 },
    Want { id: "887176bfa68c52be", date: "2025-12", headline: "Local leadership in action", byline: None, source: MONTH, paras: 11, file: F003 },
    Want { id: "2fedbeda1767456a", date: "2025-12", headline: "Delivering a modern commissioning future", byline: Some("Glen Burley, Financial Reset Director and Accountability Director"), source: MONTH, paras: 6, file: F003 },
    Want { id: "1ff5aca94921b80f", date: "2025-12", headline: "Advanced Foundation Trusts: driving system excellence", byline: None, source: MONTH, paras: 8, file: F003 },
    Want { id: "de430b605db2ed19", date: "2025-12", headline: "Planning for transformation: how we will support systems to deliver", byline: Some("Elizabeth O’Mahony, Interim Director General, Finance"), source: MONTH, paras: 7, file: F003 },
    Want { id: "7ab5255a85151c59", date: "2025-12", headline: "Adding value through effective diagnostics", byline: Some("Mark Cubbon, Elective Care, Cancer and Diagnostics Director"), source: MONTH, paras: 10, file: F003 },
    Want { id: "d2c81c1eafa31db1", date: "2025-12", headline: "A refreshed approach to intellectual property in the NHS", byline: Some("Fiona Bride, Interim Chief Commercial Officer"), source: MONTH, paras: 7, file: F003 },
    Want { id: "b8da09bb642c62c9", date: "2025-12", headline: "In case you missed it in November and December", byline: None, source: MONTH, paras: 9, file: F003 },
    Want { id: "a22350a3443f3f01", date: "2025-12", headline: "Coming up", byline: None, source: MONTH, paras: 1, file: F003 },
    Want { id: "2445293c9539143b", date: "2025-07-30", headline: "Wes Streeting offers to meet BMA early next week to avert further strikes", byline: Some("Rebecca Henrys"), source: "002_c9252000ea79d87e", paras: 18, file: F002 },
    Want { id: "93ce249d56bf164a", date: "2025-07-30", headline: "Striking resident doctors will lose if they go to war with the Government, Wes Streeting has said", byline: None, source: "004_b8399ad4387e3a20", paras: 24, file: F004 },
];

/// Text that is page furniture in the seeds and must never reach a story.
const FURNITURE: [&str; 8] = [
    "Your support helps us",
    "Support Now",
    "Picture:",
    "Getty Images",
    "Your feedback matters",
    "england.theweek@nhs.net",
    "Latest developments affecting the health and care sector",
    " date 2025-07-30",
];

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// Runs `sitrep list --json [extra…]` and returns the parsed array.
fn list_json(extra: &[&std::ffi::OsStr]) -> Vec<Value> {
    let config = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .env("SITREP_CONFIG_DIR", config.path())
        .args(["list", "--json"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&out)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap()
}

fn str_field<'a>(story: &'a Value, key: &str) -> Option<&'a str> {
    story.get(key).and_then(Value::as_str)
}

/// Checks every field of every story against [`WANT`]; `origin(file)` is the
/// expected origin of a story loaded from `file`.
fn assert_matches_want(stories: &[Value], origin: &dyn Fn(&str) -> String) {
    let headlines: Vec<_> = stories.iter().map(|s| str_field(s, "headline")).collect();
    let wanted: Vec<_> = WANT.iter().map(|w| Some(w.headline)).collect();
    assert_eq!(headlines, wanted, "headlines or their order differ");
    for (s, w) in stories.iter().zip(&WANT) {
        let obj = s.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "byline",
                "date",
                "derived_headline",
                "headline",
                "id",
                "origin",
                "paragraphs",
                "source"
            ],
            "{}",
            w.headline
        );
        assert_eq!(str_field(s, "id"), Some(w.id), "{}", w.headline);
        assert_eq!(str_field(s, "date"), Some(w.date), "{}", w.headline);
        assert_eq!(s["byline"].as_str(), w.byline, "{}", w.headline);
        assert!(w.byline.is_some() || s["byline"].is_null());
        assert_eq!(str_field(s, "source"), Some(w.source), "{}", w.headline);
        assert_eq!(
            str_field(s, "origin"),
            Some(origin(w.file).as_str()),
            "{}",
            w.headline
        );
        let derived = w.file == F004;
        assert_eq!(
            s["derived_headline"].as_bool(),
            Some(derived),
            "{}",
            w.headline
        );
        let paras = s["paragraphs"].as_array().unwrap();
        assert_eq!(paras.len(), w.paras, "paragraph count of {}", w.headline);
        assert!(
            paras
                .iter()
                .all(|p| p.as_str().is_some_and(|p| !p.is_empty()))
        );
    }
}

#[test]
fn bundled_list_json_is_exactly_the_23_seed_stories() {
    let stories = list_json(&[]);
    assert_matches_want(&stories, &|f| format!("bundled:{f}"));
}

#[test]
fn on_disk_assets_parse_exactly_like_the_bundled_copies() {
    let dir = assets();
    let on_disk = list_json(&[dir.as_os_str()]);
    assert_matches_want(&on_disk, &|f| dir.join(f).to_string_lossy().into_owned());
    let bundled = list_json(&[]);
    for (a, b) in bundled.iter().zip(&on_disk) {
        for key in ["id", "date", "headline", "byline", "paragraphs", "source"] {
            assert_eq!(a[key], b[key], "{key} of {}", a["headline"]);
        }
    }
}

#[test]
fn no_page_furniture_reaches_any_story() {
    let stories = list_json(&[]);
    let all = serde_json::to_string(&stories).unwrap();
    for f in FURNITURE {
        assert!(!all.contains(f), "furniture {f:?} in the output");
    }
    for s in &stories {
        for p in s["paragraphs"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            assert_ne!(p, "Article");
            assert_ne!(p, DIGEST, "a digest title became a paragraph");
            assert_ne!(p, "The Month – December 2025");
            assert!(!p.starts_with("By "), "a byline became a paragraph: {p}");
        }
    }
}

#[test]
fn derived_headline_is_the_first_sentence_of_the_body() {
    let stories = list_json(&[]);
    let s = stories.last().unwrap();
    assert_eq!(s["derived_headline"], true);
    let first = s["paragraphs"][0].as_str().unwrap();
    assert_eq!(
        first,
        "Striking resident doctors will lose if they go to war with the Government, Wes Streeting has said."
    );
    // Every other story has a printed headline.
    assert_eq!(
        stories
            .iter()
            .filter(|s| s["derived_headline"] == true)
            .count(),
        1
    );
}

#[test]
fn article_caption_and_bulletin_footer_are_dropped_but_text_around_them_kept() {
    let stories = list_json(&[]);
    let paras = |id: &str| -> Vec<String> {
        let s = stories.iter().find(|s| s["id"] == id).unwrap();
        s["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect()
    };
    let article = paras("2445293c9539143b");
    assert!(article[0].starts_with("Health Secretary Wes Streeting has offered"));
    assert!(
        article
            .iter()
            .any(|p| p.starts_with("BMA leaders have insisted"))
    );
    let coming_up = paras("a22350a3443f3f01");
    assert!(coming_up[0].starts_with("• New Years Honours (30 Dec)\n"));
    assert!(coming_up[0].ends_with("• Monthly Operational Stats (15 Jan)"));
    // The quote introduced by "said:" stays with its story.
    let league = paras("5d3a758f57872f48");
    assert!(league[3].starts_with("Responding to publication") && league[3].ends_with("said:"));
    assert!(league[7].starts_with("“To deliver the ambitions"));
}

fn api_summary(lib: &Library) -> Vec<(String, String, String, Option<String>, usize, bool)> {
    lib.stories
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                s.date.iso().unwrap_or_default(),
                lib.headline(s).to_string(),
                lib.byline(s).map(str::to_string),
                lib.paragraphs(s).count(),
                s.derived_headline,
            )
        })
        .collect()
}

#[test]
fn library_api_agrees_for_bundled_and_on_disk_copies() {
    let bundled = loader::load_bundled();
    assert!(bundled.warnings.is_empty(), "{:?}", bundled.warnings);
    assert_eq!(bundled.files, 5);
    let on_disk = loader::load_paths(&[assets()], &|_, _| {});
    assert!(on_disk.warnings.is_empty(), "{:?}", on_disk.warnings);
    assert_eq!(on_disk.files, 5);
    let summary = api_summary(&bundled);
    assert_eq!(summary, api_summary(&on_disk));
    let want: Vec<_> = WANT
        .iter()
        .map(|w| {
            (
                w.id.to_string(),
                w.date.to_string(),
                w.headline.to_string(),
                w.byline.map(str::to_string),
                w.paras,
                w.file == F004,
            )
        })
        .collect();
    assert_eq!(summary, want);
}

#[test]
fn seed_files_given_one_by_one_load_the_same_stories() {
    let files: Vec<PathBuf> = [F003, F002, F001, F004, F000]
        .iter()
        .map(|f| assets().join(f))
        .collect();
    let lib = loader::load_paths(&files, &|_, _| {});
    let ids: Vec<String> = lib.stories.iter().map(|s| s.id.to_string()).collect();
    let want: Vec<&str> = WANT.iter().map(|w| w.id).collect();
    assert_eq!(
        ids, want,
        "newest first whatever order the files are given in (same-date stories keep file order)"
    );
}
