//! Document bytes → stories, the way the loader does it: decode, clean, parse.
//! Beyond "never panics", checks what the reader relies on: every span lies on
//! character boundaries inside the text and no shown text holds a control,
//! bidi or zero-width character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep::loader::{self, parse};
use sitrep::text;

fn shown_safely(s: &str) -> bool {
    s.chars().all(|c| {
        c == '\n'
            || c == '\t'
            || !(c.is_control()
                || matches!(c, '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                    | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok((decoded, _)) = loader::decode(bytes) else {
        return;
    };
    let cleaned = text::clean(&decoded);
    assert!(shown_safely(&cleaned));
    let parsed = parse::parse(&cleaned);
    for s in &parsed.stories {
        let spans = std::iter::once(s.headline)
            .chain(s.byline)
            .chain(s.paras.clone());
        for span in spans {
            let t = parsed
                .text
                .get(span.range())
                .expect("span on char boundaries");
            assert!(shown_safely(t), "{t:?}");
        }
    }
    for (_, reason) in &parsed.warnings {
        assert!(shown_safely(reason), "{reason:?}");
    }
});
