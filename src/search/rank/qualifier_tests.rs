use super::*;
use crate::loader;

fn headlines(q: &str, flags: &(dyn Fn(&Story, Flag) -> bool + Sync)) -> Vec<String> {
    let lib = loader::load_bundled();
    let n = u32::try_from(lib.stories.len()).unwrap_or(0);
    Matcher::new()
        .rank_with(&lib, &Query::parse(q), 0..n, flags, &|| false)
        .unwrap_or_default()
        .iter()
        .map(|h| lib.headline(&lib.stories[h.story as usize]).to_string())
        .collect()
}

#[test]
fn qualifiers_parse_and_leave_terms_alone() {
    let q = Query::parse("flu date:2025-12 source:month is:bookmarked !is:read is:nonsense");
    assert_eq!(q.terms().len(), 2, "flu and is:nonsense stay terms");
    assert_eq!(
        q.qualifiers(),
        [
            Qualifier::Date("2025-12".into()),
            Qualifier::Source("month".into()),
            Qualifier::Is(Flag::Bookmarked, true),
            Qualifier::Is(Flag::Read, false),
        ]
    );
    assert!(!Query::parse("date:2025").is_empty());
}

#[test]
fn unknown_qualifiers_are_named() {
    assert_eq!(
        Query::unknown_qualifiers("flu is:unred date:banana date:2025 is:"),
        ["is:unred", "date:banana", "is:"]
    );
    assert!(Query::unknown_qualifiers("flu !is:read source:x").is_empty());
}

#[test]
fn date_and_source_qualifiers_filter() {
    let none = |_: &Story, _: Flag| false;
    assert_eq!(headlines("date:2026", &none).len(), 7);
    assert_eq!(
        headlines("date:2025-12", &none).len(),
        5 + 9,
        "days and the month"
    );
    assert_eq!(headlines("date:2025-12-11", &none).len(), 5);
    assert_eq!(headlines("source:month", &none).len(), 9);
    assert_eq!(
        headlines("source:month leadership", &none)[0],
        "End of year message to NHS leadership"
    );
}

#[test]
fn is_qualifiers_ask_the_caller() {
    let bma =
        |s: &Story, f: Flag| f == Flag::Bookmarked && s.date.iso().as_deref() == Some("2025-07-30");
    assert_eq!(headlines("is:bookmarked", &bma).len(), 2);
    assert_eq!(headlines("!is:bookmarked", &bma).len(), 21);
    assert_eq!(headlines("is:bookmarked streeting", &bma).len(), 2);
}
