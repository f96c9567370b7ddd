use super::*;
use crate::search::{MatchKind, grade};
use crate::story::{Doc, Span, StoryDate, StoryId};
use proptest::prelude::*;

/// Appends a story (in its own document) and returns its index.
fn push(
    lib: &mut Library,
    source: &str,
    headline: &str,
    byline: Option<&str>,
    body: &[&str],
) -> u32 {
    let mut text = String::new();
    let span = |text: &mut String, s: &str| {
        let start = text.len() as u32;
        text.push_str(s);
        let end = text.len() as u32;
        text.push('\n');
        Span { start, end }
    };
    let headline_span = span(&mut text, headline);
    let byline_span = byline.map(|b| span(&mut text, b));
    let first_para = lib.paras.len() as u32;
    for para in body {
        let s = span(&mut text, para);
        lib.paras.push(s);
    }
    let doc = lib.docs.len() as u32;
    lib.docs.push(Doc {
        path: None,
        origin: format!("test:{doc}"),
        source: source.to_owned(),
        text,
    });
    lib.stories.push(Story {
        id: StoryId::compute(
            StoryDate::Undated,
            headline,
            body.first().copied().unwrap_or(""),
        ),
        date: StoryDate::Undated,
        doc,
        headline: headline_span,
        byline: byline_span,
        paras: first_para..lib.paras.len() as u32,
        derived_headline: false,
    });
    lib.stories.len() as u32 - 1
}

fn ranked(lib: &Library, query: &str) -> Vec<u32> {
    let all = 0..lib.stories.len() as u32;
    Matcher::new()
        .rank(lib, &Query::parse(query), all)
        .into_iter()
        .map(|h| h.story)
        .collect()
}

fn term(kind: TermKind, text: &str, case_sensitive: bool) -> Term {
    Term {
        kind,
        text: text.to_owned(),
        case_sensitive,
    }
}

#[test]
fn parses_terms_prefixes_and_smart_case() {
    let q = Query::parse("  flu 'strike\t!Covid ' ! NHS  ");
    assert_eq!(
        q.terms(),
        &[
            term(TermKind::Fuzzy, "flu", false),
            term(TermKind::Exact, "strike", false),
            term(TermKind::Exclude, "Covid", true),
            term(TermKind::Fuzzy, "NHS", true),
        ]
    );
    assert!(Query::parse("").is_empty());
    assert!(Query::parse(" ' !  ").is_empty());
    assert!(!Query::parse("!x").is_empty());
    // Only the first char is a prefix.
    assert_eq!(
        Query::parse("''a").terms(),
        &[term(TermKind::Exact, "'a", false)]
    );
}

#[test]
fn quoted_words_are_one_phrase() {
    let q = Query::parse("\"resident  doctors\" !\"pay rise\" “Junior Staff” \"unclosed phr");
    assert_eq!(
        q.terms(),
        &[
            term(TermKind::Exact, "resident doctors", false),
            term(TermKind::Exclude, "pay rise", false),
            term(TermKind::Exact, "Junior Staff", true),
            term(TermKind::Exact, "unclosed phr", false),
        ]
    );
    let mut lib = Library::default();
    push(&mut lib, "Trust", "Resident doctors vote", None, &[]);
    push(&mut lib, "Trust", "Doctors and resident nurses", None, &[]);
    push(
        &mut lib,
        "Trust",
        "Vote",
        None,
        &["The resident doctors want a pay rise."],
    );
    assert_eq!(ranked(&lib, "\"resident doctors\""), vec![0, 2]);
    assert_eq!(ranked(&lib, "resident doctors"), vec![0, 1, 2]);
    assert_eq!(ranked(&lib, "\"doctors resident\""), Vec::<u32>::new());
    assert_eq!(ranked(&lib, "\"resident doctors\" !\"pay rise\""), vec![0]);
}

#[test]
fn one_or_two_letters_match_only_as_typed() {
    let mut lib = Library::default();
    push(&mut lib, "Trust", "Mandate for doctors", None, &[]);
    push(&mut lib, "Trust", "AMD chips in the NHS", None, &[]);
    // `md` is in order in "Mandate for doctors" but only typed in "AMD".
    assert_eq!(ranked(&lib, "md"), vec![1]);
    // From three letters, scattered letters count.
    assert!(ranked(&lib, "mdf").contains(&0));
}

#[test]
fn all_terms_must_match() {
    let mut lib = Library::default();
    push(&mut lib, "Trust", "Nurses strike over pay", None, &[]);
    push(&mut lib, "Trust", "Doctors strike", None, &[]);
    assert_eq!(ranked(&lib, "strike nurses"), vec![0]);
    assert_eq!(ranked(&lib, "strike"), vec![0, 1]);
}

#[test]
fn smart_case_applies_to_every_kind() {
    let mut lib = Library::default();
    push(&mut lib, "s", "NHS budget", None, &[]);
    push(&mut lib, "s", "nhs budget", None, &[]);
    assert_eq!(ranked(&lib, "NHS"), vec![0]);
    assert_eq!(ranked(&lib, "'NHS"), vec![0]);
    assert_eq!(ranked(&lib, "!NHS"), vec![1]);
    // Both match; skim's own case bonuses may order them either way.
    let mut both = ranked(&lib, "nhs");
    both.sort_unstable();
    assert_eq!(both, vec![0, 1]);
    assert_eq!(ranked(&lib, "'nhs"), vec![0, 1]);
    assert_eq!(ranked(&lib, "!nhs"), Vec::<u32>::new());
}

#[test]
fn headline_beats_body() {
    let mut lib = Library::default();
    push(
        &mut lib,
        "s",
        "Board papers",
        None,
        &["A new vaccine was approved."],
    );
    push(
        &mut lib,
        "s",
        "Vaccine approved",
        None,
        &["Details follow."],
    );
    assert_eq!(ranked(&lib, "vaccine"), vec![1, 0]);
}

#[test]
fn body_needs_a_substring_not_scattered_letters() {
    let mut lib = Library::default();
    // f…l…u scattered: "staFf Left early for lUnch", but no "flu".
    let scattered = "Staff left early for lunch after the drill.";
    assert!(!scattered.to_lowercase().contains("flu"));
    push(&mut lib, "Trust bulletin", "Ward news", None, &[scattered]);
    push(
        &mut lib,
        "Trust bulletin",
        "Ward news",
        None,
        &["Seasonal flu cases rose."],
    );
    assert_eq!(ranked(&lib, "flu"), vec![1]);
}

#[test]
fn typos_rank_between_as_typed_and_scattered_letters() {
    let mut lib = Library::default();
    let scattered = push(&mut lib, "s", "Sit tight, rake it in", None, &[]);
    let body = push(
        &mut lib,
        "s",
        "Ward news",
        None,
        &["Staff voted for strikes."],
    );
    let typed = push(&mut lib, "s", "Ward news", None, &["Stirke is a village."]);
    let headline = push(&mut lib, "s", "Nurses strike", None, &[]);
    let none = push(&mut lib, "s", "Ward news", None, &["Quiet week."]);
    let query = Query::parse("stirke");
    let hits = Matcher::new().rank(&lib, &query, 0..lib.stories.len() as u32);
    let order: Vec<u32> = hits.iter().map(|h| h.story).collect();
    assert_eq!(order, vec![typed, headline, body, scattered]);
    assert!(!order.contains(&none));
    let kinds: Vec<MatchKind> = grade(&hits, &query).into_iter().map(|g| g.0).collect();
    assert_eq!(
        kinds,
        [
            MatchKind::Exact,
            MatchKind::Typo,
            MatchKind::Typo,
            MatchKind::Fuzzy
        ]
    );
    // `stirke` finds what `'strike` finds.
    for story in ranked(&lib, "'strike") {
        assert!(order.contains(&story));
    }
    // Four letters ask for the word as typed; a capital too.
    assert!(!ranked(&lib, "strk").contains(&body));
    let capital = ranked(&lib, "Stirke");
    assert!(capital.contains(&typed) && !capital.contains(&body) && !capital.contains(&headline));
    // The typo is highlighted in the headline.
    let m = Matcher::new();
    assert_eq!(
        m.highlight("Nurses strike", &query),
        (7..13).collect::<Vec<_>>()
    );
    // A match that ends or starts inside a letter that is not ASCII takes the
    // whole letter, and nothing past the word.
    let strike = Query::parse("strike");
    assert_eq!(
        m.highlight("Big strikë", &strike),
        (4..10).collect::<Vec<_>>()
    );
    let strikes = Query::parse("strikes");
    assert_eq!(
        m.highlight("Big ßtrikes now", &strikes),
        (4..11).collect::<Vec<_>>()
    );
}

#[test]
fn body_prefers_word_starts() {
    let mut lib = Library::default();
    push(
        &mut lib,
        "s",
        "Ward news",
        None,
        &["Cases of influenza rose."],
    );
    push(&mut lib, "s", "Ward news", None, &["Fluids were given."]);
    push(&mut lib, "s", "Ward news", None, &["The flu season began."]);
    assert_eq!(ranked(&lib, "flu"), vec![2, 1, 0]);
}

#[test]
fn exact_and_exclude_use_substrings_everywhere() {
    let mut lib = Library::default();
    push(&mut lib, "s", "Strike called", None, &[]);
    push(
        &mut lib,
        "s",
        "Pay talks",
        None,
        &["Unions threaten a strike."],
    );
    push(&mut lib, "s", "Pay talks", Some("By Strike Reporter"), &[]);
    push(&mut lib, "s", "Six trains in kent", None, &["s t r i k e"]);
    push(&mut lib, "Strike watch", "Pay talks", None, &[]);
    assert_eq!(ranked(&lib, "'strike"), vec![0, 2, 4, 1]);
    assert_eq!(ranked(&lib, "!strike"), vec![3]);
    assert_eq!(ranked(&lib, "talks !strike"), Vec::<u32>::new());
    assert_eq!(ranked(&lib, "trains !strike"), vec![3]);
}

#[test]
fn ties_keep_library_order_and_candidates_are_respected() {
    let mut lib = Library::default();
    for _ in 0..4 {
        push(&mut lib, "s", "Same headline", None, &["same body"]);
    }
    let m = Matcher::new();
    let q = Query::parse("same");
    let order: Vec<u32> = m
        .rank(&lib, &q, [3, 1, 2, 0, 1, 99])
        .iter()
        .map(|h| h.story)
        .collect();
    assert_eq!(order, vec![0, 1, 2, 3]);
    let subset: Vec<u32> = m.rank(&lib, &q, [2, 1]).iter().map(|h| h.story).collect();
    assert_eq!(subset, vec![1, 2]);
    let empty: Vec<Hit> = m.rank(&lib, &Query::parse(""), [2, 0]);
    assert_eq!(
        empty,
        vec![Hit { story: 0, score: 0 }, Hit { story: 2, score: 0 }]
    );
}

#[test]
fn highlight_uses_char_indices() {
    let m = Matcher::new();
    let text = "‘Flu’ jabs cost £5m – NHS";
    assert_eq!(m.highlight(text, &Query::parse("flu")), vec![1, 2, 3]);
    assert_eq!(
        m.highlight(text, &Query::parse("'£5M")),
        Vec::<usize>::new()
    );
    assert_eq!(m.highlight(text, &Query::parse("'£5m")), vec![16, 17, 18]);
    assert_eq!(
        m.highlight(text, &Query::parse("flu '£5m NHS !jabs")),
        vec![1, 2, 3, 16, 17, 18, 22, 23, 24]
    );
    assert_eq!(
        m.highlight(text, &Query::parse("!flu zzz")),
        Vec::<usize>::new()
    );
    // Non-ASCII case folding keeps indices aligned.
    assert_eq!(m.highlight("Le CAFÉ – é", &Query::parse("'é")), vec![6, 10]);
}

#[test]
fn non_ascii_terms_fold_case() {
    let mut lib = Library::default();
    push(&mut lib, "s", "CAFÉ opens", None, &[]);
    push(&mut lib, "s", "Ward news", None, &["The café opens."]);
    push(&mut lib, "s", "Ward news", None, &["The cafe opens."]);
    assert_eq!(ranked(&lib, "café"), vec![0, 1]);
    assert_eq!(ranked(&lib, "'£"), Vec::<u32>::new());
}

proptest! {
    #[test]
    fn never_panics(
        query in "[ a-zA-Z'!£‘’éÉİß]{0,16}|\\PC{0,16}",
        headline in "\\PC{0,24}",
        byline in proptest::option::of("\\PC{0,12}"),
        body in proptest::collection::vec("\\PC{0,40}", 0..3),
        candidates in proptest::collection::vec(0u32..6, 0..8),
    ) {
        let mut lib = Library::default();
        let body: Vec<&str> = body.iter().map(String::as_str).collect();
        for _ in 0..3 {
            push(&mut lib, &headline, &headline, byline.as_deref(), &body);
        }
        let m = Matcher::new();
        let q = Query::parse(&query);
        let hits = m.rank(&lib, &q, candidates);
        for pair in hits.windows(2) {
            prop_assert!((pair[0].score, pair[1].story) > (pair[1].score, pair[0].story));
        }
        let n = headline.chars().count();
        prop_assert!(m.highlight(&headline, &q).iter().all(|&i| i < n));
    }
}
