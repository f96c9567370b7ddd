//! The loader on documents it has never seen: digests, bulletins, dated articles and
//! "anything else", written for these tests in the style of UK health and care sector
//! updates. Each test asserts the whole parse: dates, headlines, bylines, paragraph
//! counts and derived-headline flags.
// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use sitrep::loader::parse::{self, Parsed};
use sitrep::text;

/// A story as the tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Got {
    date: String,
    headline: String,
    byline: Option<String>,
    paras: Vec<String>,
    derived: bool,
}

/// A story in brief: date (`YYYY-MM-DD`, `YYYY-MM` or `-`), headline, byline,
/// paragraph count and derived flag. Expectations and parses are compared as these.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Want<'a> {
    date: &'a str,
    headline: &'a str,
    byline: Option<&'a str>,
    paras: usize,
    derived: bool,
}

fn st(date: &'static str, headline: &'static str, paras: usize) -> Want<'static> {
    Want {
        date,
        headline,
        byline: None,
        paras,
        derived: false,
    }
}

impl Want<'static> {
    fn by(mut self, byline: &'static str) -> Self {
        self.byline = Some(byline);
        self
    }
    fn derived(mut self) -> Self {
        self.derived = true;
        self
    }
}

/// Cleans and parses `doc` the way the loader does.
fn parse_doc(doc: &str) -> (Parsed, Vec<Got>) {
    let parsed = parse::parse(&text::clean(doc));
    let got = parsed
        .stories
        .iter()
        .map(|s| Got {
            date: s.date.iso().unwrap_or_else(|| "-".into()),
            headline: parsed.text[s.headline.range()].to_string(),
            byline: s.byline.map(|b| parsed.text[b.range()].to_string()),
            paras: s
                .paras
                .iter()
                .map(|p| parsed.text[p.range()].to_string())
                .collect(),
            derived: s.derived_headline,
        })
        .collect();
    (parsed, got)
}

/// Parses `doc` and asserts its source and every story; returns the stories.
fn check(doc: &str, source: Option<&str>, want: &[Want]) -> Vec<Got> {
    let (parsed, got) = parse_doc(doc);
    let summary: Vec<Want> = got
        .iter()
        .map(|g| Want {
            date: &g.date,
            headline: &g.headline,
            byline: g.byline.as_deref(),
            paras: g.paras.len(),
            derived: g.derived,
        })
        .collect();
    assert_eq!(summary, want, "stories differ");
    assert_eq!(parsed.source.as_deref(), source, "source differs");
    got
}

// ---------------------------------------------------------------------------
// Digests

const DIGEST_THREE_DAYS: &str = "\
Article

Health and care sector latest developments

A round-up of the news that matters to health and care leaders this week.

Thursday 5 March 2026

Is the NHS ready for a spring flu wave?

Hospital admissions for flu rose by 12 per cent last week, according to figures published by the UK Health Security Agency this morning.

Bed occupancy stayed above 94 per cent in six of the seven regions (see the chart published alongside the figures) despite a fall in norovirus

Responding to the figures, the chief executive of one large acute trust said:

\u{201c}Our teams have worked flat out all winter and they are exhausted.

\u{201c}We need the extra capacity we were promised in the autumn to arrive now, not next year.

\u{201c}Patients deserve nothing less.\u{201d}

Care minister promises \u{201c}no more cliff edges\u{201d}

The minister for care has told providers that the fair pay agreement for care workers will be funded in full from April.

Speaking at a conference in Birmingham, she said the government would not leave councils to find the money on their own.

Wednesday, 4 March 2026

Pharmacy contract talks collapse

Negotiations between community pharmacy representatives and the Department of Health and Social Care have broken down without agreement.

The negotiating body said the offer on the table would leave many pharmacies running at a loss.

It is now asking contractors about next steps, including:

\u{2022} reducing opening hours
\u{2022} withdrawing from some locally commissioned services
\u{2022} pausing new services such as contraception consultations

3 Mar 2026

ICS leaders set out \u{2018}three asks\u{2019} for the spending review

The leaders of 12 integrated care systems have written to the chancellor calling for a multi-year capital settlement.

The letter says short-term funding makes it impossible to plan services beyond the next financial year
";

#[test]
fn digest_with_several_days_and_weekday_dates() {
    let got = check(
        DIGEST_THREE_DAYS,
        Some("Health and care sector latest developments"),
        &[
            st("2026-03-05", "Is the NHS ready for a spring flu wave?", 6),
            st(
                "2026-03-05",
                "Care minister promises “no more cliff edges”",
                2,
            ),
            st("2026-03-04", "Pharmacy contract talks collapse", 4),
            st(
                "2026-03-03",
                "ICS leaders set out ‘three asks’ for the spending review",
                2,
            ),
        ],
    );
    // The three-paragraph quote stays with the paragraph that introduces it.
    assert!(got[0].paras[2].ends_with("said:"));
    assert!(got[0].paras[5].starts_with("“Patients deserve"));
    // A bullet list is one paragraph of lines.
    assert_eq!(got[2].paras[3].lines().count(), 3);
    // Furniture is not kept anywhere.
    let all: Vec<&String> = got.iter().flat_map(|g| &g.paras).collect();
    assert!(
        all.iter()
            .all(|p| !p.contains("round-up") && *p != "Article")
    );
}

const DIGEST_NO_TITLE: &str = "\
Monday 9th March 2026

Streeting confirms date for new maternity standards

The health and social care secretary has confirmed that national maternity standards will be published before the summer recess.

Trusts will be expected to report against the standards from October.

GP collective action ends after new contract deal

The British Medical Association\u{2019}s GP committee has voted to end collective action after accepting a revised contract offer.

The deal includes funding for 1,500 additional practice staff

Fri 6 March 2026

Hospice funding: \u{201c}a lifeline, but not a long-term fix\u{201d}

Hospices in England will share \u{00a3}80 million of capital funding over the next two years, the government has announced.

Hospice UK welcomed the money but warned that running costs remain the main pressure.
";

#[test]
fn digest_without_article_line_or_title() {
    check(
        DIGEST_NO_TITLE,
        None,
        &[
            st(
                "2026-03-09",
                "Streeting confirms date for new maternity standards",
                2,
            ),
            st(
                "2026-03-09",
                "GP collective action ends after new contract deal",
                2,
            ),
            st(
                "2026-03-06",
                "Hospice funding: “a lifeline, but not a long-term fix”",
                2,
            ),
        ],
    );
}

/// Headlines that a naive rule gets wrong: a lower-case brand name first, an
/// abbreviation with a full stop, a figure with a decimal point, a question, a
/// closing quote; and a story whose only body is a list.
const DIGEST_TRICKY_HEADLINES: &str = "\
Article

Health and care sector latest developments

Latest developments affecting the health and care sector.

12 March 2026

mRNA cancer vaccine trial opens to more patients

A further 30 hospitals will join the national trial of personalised cancer vaccines, NHS England said today.

St. Helens trust named as virtual ward pilot site

St Helens and Knowsley Teaching Hospitals will test a new model of hospital care at home for older people with frailty.

\u{00a3}1.2bn for hospital repairs confirmed in spending plans

The Treasury has confirmed \u{00a3}1.2 billion for urgent repairs to hospital buildings, including roofs built with reinforced autoclaved aerated concrete.

Can the NHS really hit the four-hour target by March?

Performance against the four-hour standard in A&E was 74.2 per cent in February, against a target of 78 per cent.

Ambulance handovers: \u{2018}we cannot go on like this\u{2019}

Paramedics in the south west lost more than 9,000 hours waiting outside hospitals last month.

New cancer waiting time data at a glance

\u{2022} 62-day standard: 69.1 per cent
\u{2022} 28-day faster diagnosis standard: 77.4 per cent
\u{2022} 31-day standard: 91.0 per cent
";

#[test]
fn digest_headlines_that_break_naive_rules() {
    check(
        DIGEST_TRICKY_HEADLINES,
        Some("Health and care sector latest developments"),
        &[
            st(
                "2026-03-12",
                "mRNA cancer vaccine trial opens to more patients",
                1,
            ),
            st(
                "2026-03-12",
                "St. Helens trust named as virtual ward pilot site",
                1,
            ),
            st(
                "2026-03-12",
                "£1.2bn for hospital repairs confirmed in spending plans",
                1,
            ),
            st(
                "2026-03-12",
                "Can the NHS really hit the four-hour target by March?",
                1,
            ),
            st(
                "2026-03-12",
                "Ambulance handovers: ‘we cannot go on like this’",
                1,
            ),
            st("2026-03-12", "New cancer waiting time data at a glance", 1),
        ],
    );
}

/// Body paragraphs without full stops: a one-paragraph story whose only paragraph
/// lacks one, a link line before the next headline, two such lines closing a day.
const DIGEST_STOPLESS_BODIES: &str = "\
Health and care sector latest developments

Tuesday 17 March 2026

CQC chief inspector steps down

The chief inspector of hospitals will leave the regulator in the summer after four years in post.

Read the full statement on the CQC website

Waiting list falls for sixth month

The waiting list for planned hospital care fell by 58,000 to 7.21 million in January

Social care workforce grows for the first time since 2021

The number of filled posts in adult social care in England rose by 2 per cent last year, according to Skills for Care.

Vacancy rates fell in every region except London.

See the full report for regional figures

More to follow

Monday 16 March 2026

Dentists threaten to quit NHS work

A survey of 1,200 dentists found that half plan to reduce their NHS work over the next year.
";

#[test]
fn digest_body_paragraphs_without_full_stops() {
    let got = check(
        DIGEST_STOPLESS_BODIES,
        Some("Health and care sector latest developments"),
        &[
            st("2026-03-17", "CQC chief inspector steps down", 2),
            st("2026-03-17", "Waiting list falls for sixth month", 1),
            st(
                "2026-03-17",
                "Social care workforce grows for the first time since 2021",
                4,
            ),
            st("2026-03-16", "Dentists threaten to quit NHS work", 1),
        ],
    );
    assert_eq!(
        got[0].paras[1],
        "Read the full statement on the CQC website"
    );
    assert_eq!(got[2].paras[3], "More to follow");
}

/// Short weekday names, no standfirst, and a day that does not exist: its stories
/// load undated and the line is reported.
const DIGEST_BAD_DAY: &str = "\
Article

Weekly social care digest

Tue 3 Mar 2026

Councils warn of care market \u{201c}tipping point\u{201d}

A survey of directors of adult social services found that 60 per cent expect a provider in their area to close within a year.

The findings will be presented to ministers on 10 March 2026.

30 February 2026

Home care visits cut to 15 minutes in some areas

Some councils have reduced the length of home care visits to save money, according to a charity report.
";

#[test]
fn digest_with_an_impossible_date_section() {
    let (parsed, _) = parse_doc(DIGEST_BAD_DAY);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].0, Some(13));
    assert!(parsed.warnings[0].1.contains("30 February 2026"));
    check(
        DIGEST_BAD_DAY,
        Some("Weekly social care digest"),
        &[
            st(
                "2026-03-03",
                "Councils warn of care market “tipping point”",
                2,
            ),
            st("-", "Home care visits cut to 15 minutes in some areas", 1),
        ],
    );
}

// ---------------------------------------------------------------------------
// Bulletins

const BULLETIN_WITH_BYLINES: &str = "\
The Month \u{2013} March 2026

A message from our chief executive

Sarah Wood, Chief Executive, NHS England

As we come to the end of the financial year, I want to thank every team for the work done this winter.

Urgent and emergency care held up better than many feared, and elective waiting lists fell for the fourth month in a row.

The new planning guidance is open for comment until 11 April 2026.

Delivering the neighbourhood health programme

Tom Reed, Director, 10 Year Health Plan Delivery

Forty-three places have now joined the first wave of the neighbourhood health programme.

Each place will receive support from a national team for 18 months

Our workforce plan refresh

The refreshed workforce plan will set out how we grow the number of staff in community and mental health services.

We will publish it in the summer, after engagement with staff representatives.

Coming up

\u{2022} Spring budget (18 Mar)
\u{2022} Quarterly performance statistics (9 Apr)
\u{2022} NHS ConfedExpo (10\u{2013}11 Jun)

Your feedback matters

We want these bulletins to be as useful as possible. If you have any feedback, please email month.bulletin@nhs.example
";

#[test]
fn bulletin_with_and_without_bylines_coming_up_and_footer() {
    let got = check(
        BULLETIN_WITH_BYLINES,
        Some("The Month"),
        &[
            st("2026-03", "A message from our chief executive", 3)
                .by("Sarah Wood, Chief Executive, NHS England"),
            st(
                "2026-03",
                "Delivering the neighbourhood health programme",
                2,
            )
            .by("Tom Reed, Director, 10 Year Health Plan Delivery"),
            st("2026-03", "Our workforce plan refresh", 2),
            st("2026-03", "Coming up", 1),
        ],
    );
    let all: String = got.iter().flat_map(|g| g.paras.clone()).collect();
    assert!(!all.contains("feedback"), "the footer leaked: {all}");
    // A date inside the text is content, not a story date.
    assert!(got[0].paras[2].contains("11 April 2026"));
}

const BULLETIN_NO_BYLINES: &str = "\
Primary care bulletin: February 2026

Changes to the GP contract from April

The 2026/27 GP contract includes a 6 per cent uplift to the global sum and new funding for practice-based pharmacists.

Practices should review the guidance before signing their contract variation.

Online access to records

From this month, patients at every practice in England can read new entries in their GP record through the NHS App.

Support for practices is available from the regional digital team, including:

\u{2022} a short video guide for reception staff
\u{2022} template letters for patients

Vaccination uptake

Uptake of the shingles vaccine among people aged 65 has risen to 48 per cent

Your feedback on this bulletin helps us improve it: email primarycare.bulletin@nhs.example
";

#[test]
fn bulletin_without_bylines() {
    check(
        BULLETIN_NO_BYLINES,
        Some("Primary care bulletin"),
        &[
            st("2026-02", "Changes to the GP contract from April", 2),
            st("2026-02", "Online access to records", 3),
            st("2026-02", "Vaccination uptake", 1),
        ],
    );
}

const BULLETIN_BRACKETED_TITLE: &str = "\
Workforce update (January 2026)

Retention plan one year on

Maria de la Cruz, Chief People Officer

Leaver rates among nurses in their first two years have fallen for the third quarter running.

Flexible rostering is now in place in 180 trusts.

Resident doctors\u{2019} rota gaps

Rota gaps reported by trusts in January, by specialty:

\u{2022} emergency medicine: 4.1 per cent
\u{2022} paediatrics: 3.8 per cent
\u{2022} psychiatry: 5.2 per cent
";

#[test]
fn bulletin_with_a_bracketed_month_and_a_particle_in_a_byline() {
    check(
        BULLETIN_BRACKETED_TITLE,
        Some("Workforce update"),
        &[
            st("2026-01", "Retention plan one year on", 2)
                .by("Maria de la Cruz, Chief People Officer"),
            st("2026-01", "Resident doctors’ rota gaps", 2),
        ],
    );
}

// ---------------------------------------------------------------------------
// Dated articles

const ARTICLE_BY_CAPTION_QUESTION: &str = "\
 date 2026-03-02 Do we need a new target for A&E waits?

By Priya Natarajan, Health Correspondent

Senior doctors have called for the four-hour target to be replaced by a measure of how long the sickest patients wait.

The Royal College of Emergency Medicine said the current target hides the longest waits.

A patient on a trolley in a hospital corridor in Leeds. Picture: Sam Holt/PA Wire

In a statement, the college\u{2019}s president said:

\u{201c}Twelve-hour waits are not a statistic. They are people left on trolleys overnight.

\u{201c}We owe it to them to measure what matters.\u{201d}

NHS England said it would consider the proposal as part of its review of urgent care standards
";

#[test]
fn article_with_byline_question_headline_and_caption() {
    let got = check(
        ARTICLE_BY_CAPTION_QUESTION,
        None,
        &[
            st("2026-03-02", "Do we need a new target for A&E waits?", 6)
                .by("Priya Natarajan, Health Correspondent"),
        ],
    );
    assert!(got[0].paras.iter().all(|p| !p.contains("Picture:")));
    assert!(got[0].paras[5].ends_with("urgent care standards"));
}

const ARTICLE_NO_BY_QUOTE_HEADLINE: &str = "\
 date 2026-02-27 Nurses\u{2019} union warns of \u{2018}exodus\u{2019} over pay

The Royal College of Nursing has warned that thousands of nurses could leave the profession if this year\u{2019}s pay award is below inflation.

A survey of 12,000 members found that one in three were considering leaving within a year.

Photograph: a nurse on a hospital ward. Photo: Alex Green/Getty Images
";

#[test]
fn article_without_byline_headline_ending_in_quote() {
    check(
        ARTICLE_NO_BY_QUOTE_HEADLINE,
        None,
        &[st(
            "2026-02-27",
            "Nurses’ union warns of ‘exodus’ over pay",
            2,
        )],
    );
}

const ARTICLE_APPEAL: &str = "\
 date 2026-01-14 Your support helps us to tell the story Read more Support Now Independent journalism costs money. We rely on readers like you. Your donation keeps our reporters in hospitals and care homes across the country. Read more

Dr. Helen Marsh, a GP in Bristol, has been named as the new chair of the Royal College of General Practitioners. She takes over in November.

Dr Marsh said general practice needed \u{201c}stability above all\u{201d} after several difficult years.

A GP surgery waiting room. (Image credit: Jo Bright/Alamy)

The college has more than 50,000 members.
";

#[test]
fn article_with_publisher_appeal_derives_its_headline() {
    let got = check(
        ARTICLE_APPEAL,
        None,
        &[st(
            "2026-01-14",
            "Dr. Helen Marsh, a GP in Bristol, has been named as the new chair of the Royal College of General Practitioners",
            3,
        )
        .derived()],
    );
    // The headline is the first sentence of the first paragraph, which is kept whole.
    assert!(got[0].paras[0].ends_with("She takes over in November."));
    let all = got[0].paras.join("\n");
    for furniture in ["Your support", "donation", "Image credit", "Read more"] {
        assert!(!all.contains(furniture), "{furniture} leaked");
    }
}

const ARTICLE_APPEAL_QUESTION: &str = "\
 date 2026-01-20 Your support helps us to tell the story Read more

Will the new dental contract end \u{201c}dental deserts\u{201d}? Ministers think so, but dentists are not convinced.

The government says the reformed contract will pay practices more for treating patients with complex needs.
";

#[test]
fn derived_headline_may_be_a_question() {
    check(
        ARTICLE_APPEAL_QUESTION,
        None,
        &[st(
            "2026-01-20",
            "Will the new dental contract end “dental deserts”?",
            2,
        )
        .derived()],
    );
}

// ---------------------------------------------------------------------------
// Anything else

const FALLBACK_NOTE: &str = "\
Notes from the quality committee
Held in public at County Hall

The committee reviewed the latest maternity safety report and asked for an update in May.

Members noted the improvement in infection control audit scores
";

#[test]
fn fallback_first_line_is_the_headline_and_it_is_undated() {
    let (parsed, _) = parse_doc(FALLBACK_NOTE);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert!(parsed.warnings[0].1.contains("undated"));
    let got = check(
        FALLBACK_NOTE,
        None,
        &[st("-", "Notes from the quality committee", 3)],
    );
    assert_eq!(got[0].paras[0], "Held in public at County Hall");
}

const FALLBACK_DATED_LETTER: &str = "\
16 March 2026

Dear colleague,

I am writing to confirm the arrangements for the Easter bank holidays.

Practices should make sure patients know how to get help when the surgery is closed.

Yours sincerely,

Dr Amir Khan
Medical Director, Anytown Integrated Care Board
";

#[test]
fn fallback_letter_with_a_date_at_the_top() {
    let (parsed, _) = parse_doc(FALLBACK_DATED_LETTER);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    check(
        FALLBACK_DATED_LETTER,
        None,
        &[st("2026-03-16", "Dear colleague,", 4)],
    );
}

// ---------------------------------------------------------------------------
// Through the file-system loader

#[test]
fn fixtures_load_together_newest_first_without_fatal_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        ("digest.txt", DIGEST_THREE_DAYS),
        ("no-title.txt", DIGEST_NO_TITLE),
        ("tricky.txt", DIGEST_TRICKY_HEADLINES),
        ("stopless.txt", DIGEST_STOPLESS_BODIES),
        ("bad-day.txt", DIGEST_BAD_DAY),
        ("workforce.txt", BULLETIN_BRACKETED_TITLE),
        ("bulletin.txt", BULLETIN_WITH_BYLINES),
        ("primary.txt", BULLETIN_NO_BYLINES),
        ("a1.txt", ARTICLE_BY_CAPTION_QUESTION),
        ("a2.txt", ARTICLE_NO_BY_QUOTE_HEADLINE),
        ("a3.txt", ARTICLE_APPEAL),
        ("a4.txt", ARTICLE_APPEAL_QUESTION),
        ("note.txt", FALLBACK_NOTE),
        ("letter.txt", FALLBACK_DATED_LETTER),
    ];
    for (name, body) in docs {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let lib = sitrep::loader::load_paths(&[PathBuf::from(dir.path())], &|_, _| {});
    assert_eq!(lib.files, docs.len());
    assert_eq!(lib.fatal_count(), 0, "{:?}", lib.warnings);
    // Only the impossible day and the undated note warn.
    let mut warned: Vec<_> = lib.warnings.iter().map(|w| w.file.clone()).collect();
    warned.sort();
    assert!(warned.len() == 2, "{:?}", lib.warnings);
    assert!(warned[0].ends_with("bad-day.txt") && warned[1].ends_with("note.txt"));
    let dates: Vec<_> = lib.stories.iter().map(|s| s.date).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(sitrep::story::StoryDate::newest_first);
    assert_eq!(dates, sorted);
    // A document without a title takes its source from the file name.
    let s = lib
        .stories
        .iter()
        .find(|s| lib.headline(s).starts_with("GP collective action"))
        .unwrap();
    assert_eq!(lib.source(s), "no-title");
    // Ids are unique.
    let mut ids: Vec<_> = lib.stories.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), lib.stories.len());
}
