//! Which characters the cleaner keeps, decided from Unicode properties (the
//! tables of `icu_properties`, kept by the Unicode Consortium), never from a
//! hand-written list. [`of`] sorts a character into a [`Class`]; [`joiner_kept`]
//! decides for the characters whose fate depends on their neighbours.

use icu_properties::props::{
    CanonicalCombiningClass, DefaultIgnorableCodePoint, Emoji, EmojiModifier, ExtendedPictographic,
    GeneralCategory, GeneralCategoryGroup as G, JoiningType, PrependedConcatenationMark,
    RegionalIndicator, VariationSelector,
};
use icu_properties::{CodePointMapData, CodePointSetData};

/// Non-starters a stream-safe text may hold in a row (UAX #15).
const STREAM_SAFE: usize = 30;
const ZWNJ: char = '\u{200c}';
const ZWJ: char = '\u{200d}';
/// VARIATION SELECTOR-15 and -16: text and emoji presentation.
const VS15: char = '\u{fe0e}';
const VS16: char = '\u{fe0f}';

/// What the cleaner does with one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Kept as it is.
    Keep,
    /// Removed: a control or an invisible format character.
    Remove,
    /// U+2028 LINE SEPARATOR (General_Category Zl): a line break.
    LineBreak,
    /// U+2029 PARAGRAPH SEPARATOR (General_Category Zp): a paragraph break.
    ParagraphBreak,
    /// A joiner (ZWJ, ZWNJ) or variation selector: kept only where the
    /// characters around it need it ([`joiner_kept`]).
    Joiner,
    /// A tag character (U+E0000–U+E007F, default ignorable): kept only as part
    /// of a subdivision flag ([`flag_tags`]).
    Tag,
}

/// The tag characters (UTS #51: `tag_spec` U+E0020–U+E007E, `cancel_tag` U+E007F).
const TAGS: std::ops::RangeInclusive<char> = '\u{e0000}'..='\u{e007f}';
const CANCEL_TAG: char = '\u{e007f}';
/// A Unicode subdivision id is a region code (two letters or three digits) and
/// one to four letters or digits.
const SUBDIVISION: std::ops::RangeInclusive<usize> = 3..=7;
/// The tag base of every subdivision flag (UTS #51 Annex C): WAVING BLACK FLAG.
const FLAG_BASE: char = '\u{1f3f4}';

/// The length in bytes of the emoji tag sequence that `s` starts with, when it
/// is the tail of a subdivision flag (UTS #51 ED-14a and Annex C, such as 🏴 +
/// `gbeng` + CANCEL TAG): right after `base`, the flag, a subdivision id in tag
/// digits and lowercase tag letters, then CANCEL TAG. Any other run of tag
/// characters (hidden text) is removed.
#[must_use]
pub fn flag_tags(base: Option<char>, s: &str) -> Option<usize> {
    if base != Some(FLAG_BASE) {
        return None;
    }
    let mut n = 0;
    for (at, c) in s.char_indices() {
        match c {
            CANCEL_TAG if SUBDIVISION.contains(&n) => {
                return Some(at + c.len_utf8());
            }
            '\u{e0030}'..='\u{e0039}' | '\u{e0061}'..='\u{e007a}' if n < *SUBDIVISION.end() => {
                n += 1;
            }
            _ => return None,
        }
    }
    None
}

/// Characters of planes 0 and 1 (U+0000–U+1FFFF) that [`of`] does not simply
/// keep, one bit each: built from the properties' ranges once, on first use,
/// so that checking text that needs no cleaning costs a bit test a character.
#[derive(Clone, Copy)]
pub struct Plain(&'static [u64]);

/// The characters [`Plain`] covers.
const PLAIN_END: u32 = 0x2_0000;

impl Plain {
    /// The table, built on first use.
    #[must_use]
    pub fn get() -> Self {
        static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
        Plain(BITS.get_or_init(build_plain))
    }

    /// Like [`Plain::keeps`] for a code point below U+20000; false for any
    /// other number (the caller then looks at the character itself).
    #[must_use]
    #[inline]
    pub fn keeps_code(self, cp: u32) -> bool {
        self.0
            .get((cp / 64) as usize)
            .is_some_and(|word| word & (1 << (cp % 64)) == 0)
    }

    /// Whether `c` is kept as it is wherever it stands ([`of`] gives [`Class::Keep`]).
    #[must_use]
    #[inline]
    pub fn keeps(self, c: char) -> bool {
        let cp = u32::from(c);
        match self.0.get((cp / 64) as usize) {
            Some(word) => word & (1 << (cp % 64)) == 0,
            None => of(c) == Class::Keep,
        }
    }
}

/// The [`Plain`] bits, set range by range from the same properties [`of`] reads:
/// controls, format characters (less the prepended concatenation marks), line
/// and paragraph separators, default ignorables, variation selectors, joiners
/// and tags; newline and tab stay clear.
fn build_plain() -> Vec<u64> {
    let mut bits = vec![0u64; (PLAIN_END / 64) as usize];
    let mut mark = |range: std::ops::RangeInclusive<u32>, on: bool| {
        for cp in range.filter(|&cp| cp < PLAIN_END) {
            if let Some(word) = bits.get_mut((cp / 64) as usize) {
                if on {
                    *word |= 1 << (cp % 64);
                } else {
                    *word &= !(1 << (cp % 64));
                }
            }
        }
    };
    let gc = CodePointMapData::<GeneralCategory>::new();
    for value in [
        GeneralCategory::Control,
        GeneralCategory::Format,
        GeneralCategory::LineSeparator,
        GeneralCategory::ParagraphSeparator,
    ] {
        gc.iter_ranges_for_value(value).for_each(|r| mark(r, true));
    }
    CodePointSetData::new::<PrependedConcatenationMark>()
        .iter_ranges()
        .for_each(|r| mark(r, false));
    CodePointSetData::new::<DefaultIgnorableCodePoint>()
        .iter_ranges()
        .for_each(|r| mark(r, true));
    CodePointSetData::new::<VariationSelector>()
        .iter_ranges()
        .for_each(|r| mark(r, true));
    for c in [ZWJ, ZWNJ] {
        let cp = u32::from(c);
        mark(cp..=cp, true);
    }
    mark(u32::from(*TAGS.start())..=u32::from(*TAGS.end()), true);
    mark(u32::from('\t')..=u32::from('\t'), false);
    mark(u32::from('\n')..=u32::from('\n'), false);
    bits
}

/// The class of `c` on its own. Newline and tab are kept; the cleaner's state
/// machine deals with ESC and CR before asking.
#[must_use]
pub fn of(c: char) -> Class {
    if c == '\n' || c == '\t' {
        return Class::Keep;
    }
    if c == ZWJ || c == ZWNJ || CodePointSetData::new::<VariationSelector>().contains(c) {
        return Class::Joiner;
    }
    if TAGS.contains(&c) {
        return Class::Tag;
    }
    match CodePointMapData::<GeneralCategory>::new().get(c) {
        GeneralCategory::Control => return Class::Remove,
        GeneralCategory::LineSeparator => return Class::LineBreak,
        GeneralCategory::ParagraphSeparator => return Class::ParagraphBreak,
        // Format characters draw nothing, except the number signs that stand
        // before digits (Prepended_Concatenation_Mark, such as U+0600).
        GeneralCategory::Format
            if !CodePointSetData::new::<PrependedConcatenationMark>().contains(c) =>
        {
            return Class::Remove;
        }
        _ => {}
    }
    if CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c) {
        return Class::Remove;
    }
    Class::Keep
}

/// Whether the joiner or variation selector `c` is kept, given the text kept
/// before it (`before`, read backwards) and the character after it:
///
/// - ZWJ inside an emoji ZWJ sequence: after an emoji (Extended_Pictographic, an
///   Emoji_Modifier or an emoji's VS16) and before an Extended_Pictographic;
/// - ZWJ and ZWNJ after a virama (Canonical_Combining_Class 9: Indic half forms,
///   chillus), or between a joining letter (Joining_Type D, L, R or C, past any
///   transparent marks) and a letter or mark (Persian, Arabic, Syriac, …);
/// - VS15 and VS16 right after a character with the Emoji property (not a
///   Regional_Indicator or an Emoji_Modifier);
/// - other variation selectors right after a letter, number or symbol (the
///   standardized and ideographic variation sequences).
#[must_use]
pub fn joiner_kept(c: char, mut before: impl Iterator<Item = char>, after: Option<char>) -> bool {
    let Some(prev) = before.next() else {
        return false;
    };
    let gc = CodePointMapData::<GeneralCategory>::new();
    if c == VS15 || c == VS16 {
        // Not after a lone flag letter or a skin tone: those take no selector.
        return CodePointSetData::new::<Emoji>().contains(prev)
            && !CodePointSetData::new::<RegionalIndicator>().contains(prev)
            && !CodePointSetData::new::<EmojiModifier>().contains(prev);
    }
    if c != ZWJ && c != ZWNJ {
        let gc = gc.get(prev);
        return G::Letter.contains(gc) || G::Number.contains(gc) || G::Symbol.contains(gc);
    }
    let pictographic = CodePointSetData::new::<ExtendedPictographic>();
    if c == ZWJ
        && (pictographic.contains(prev)
            || prev == VS16
            || CodePointSetData::new::<EmojiModifier>().contains(prev))
        && after.is_some_and(|n| pictographic.contains(n))
    {
        return true;
    }
    if CodePointMapData::<CanonicalCombiningClass>::new().get(prev)
        == CanonicalCombiningClass::Virama
    {
        return true;
    }
    let joining = CodePointMapData::<JoiningType>::new();
    // Past at most 30 marks, the Stream-Safe Text Format's limit (UAX #15), so
    // a long run of marks cannot make this quadratic.
    let base = std::iter::once(prev)
        .chain(before)
        .take(STREAM_SAFE + 1)
        .find(|&b| joining.get(b) != JoiningType::Transparent);
    let joins = base.is_some_and(|b| {
        matches!(
            joining.get(b),
            JoiningType::DualJoining
                | JoiningType::LeftJoining
                | JoiningType::RightJoining
                | JoiningType::JoinCausing
        )
    });
    joins
        && after.is_some_and(|n| {
            let gc = gc.get(n);
            G::Letter.contains(gc) || G::Mark.contains(gc)
        })
}
