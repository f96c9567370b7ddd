//! Mail and saved pages: the bundled samples written as an HTML page, as a
//! multipart email, in an mbox and in a Maildir give the same stories (same
//! ids, headlines, dates, bylines and text) as the `.txt` files, once each and
//! with no page furniture; and hostile containers are reported without losing
//! anything else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use mail_builder::MessageBuilder;
use sitrep::loader::{self, BUNDLED};
use sitrep::story::Library;

/// (id, date, headline, byline, paragraphs) of every story, in library order.
type Row = (String, String, String, Option<String>, Vec<String>);

fn rows(lib: &Library) -> Vec<Row> {
    let mut out: Vec<Row> = lib
        .stories
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                s.date.to_string(),
                lib.headline(s).to_string(),
                lib.byline(s).map(str::to_string),
                lib.paragraphs(s).map(str::to_string).collect(),
            )
        })
        .collect();
    out.sort();
    out
}

fn load(path: &Path) -> Library {
    loader::load_paths(&[path.to_path_buf()], &|_, _| {})
}

fn sample_texts() -> Vec<(String, String)> {
    BUNDLED
        .iter()
        .map(|(name, bytes)| {
            (
                name.trim_end_matches(".txt").to_string(),
                String::from_utf8(bytes.to_vec()).unwrap(),
            )
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A sample as a web page would carry it: its paragraphs in `<p>` (lines
/// joined by `<br>`), bullet lines as a list, a dated article's first line as
/// a headline with the day in the page's data; and around it a title, scripts,
/// a menu, the site's header and footer, a cookie notice, a share box and an
/// aside, none of which may show.
fn as_html(text: &str) -> String {
    let mut head = String::from("<title>Sector news | Example Health</title>");
    head.push_str("<meta property=\"og:site_name\" content=\"Example Health\">");
    head.push_str("<script>var x = '<p>not text</p>'; if (a < b) {}</script>");
    head.push_str("<style>p { color: red }</style>");
    let mut body = String::new();
    for (i, para) in text.split("\n\n").enumerate() {
        let para = para.trim_end();
        if para.trim().is_empty() {
            continue;
        }
        if i == 0
            && let Some(rest) = para.strip_prefix(" date ")
        {
            let (day, headline) = rest.split_at(10);
            head.push_str(&format!(
                "<meta property=\"article:published_time\" content=\"{day}T09:30:00+01:00\">"
            ));
            body.push_str(&format!("<h1>{}</h1>\n", escape(headline.trim())));
            continue;
        }
        let lines: Vec<&str> = para.lines().collect();
        if lines.iter().all(|l| l.trim_start().starts_with('•')) {
            body.push_str("<ul>");
            for l in lines {
                let item = l.trim_start().trim_start_matches('•').trim();
                body.push_str(&format!("<li>{}</li>", escape(item)));
            }
            body.push_str("</ul>\n");
        } else {
            let html: Vec<String> = lines.iter().map(|l| escape(l)).collect();
            body.push_str(&format!("<p>{}</p>\n", html.join("<br>\n")));
        }
    }
    format!(
        "<!DOCTYPE html>\n<html><head>{head}</head><body>\
         <header class=\"site-header\"><a href=\"/\">Example Health homepage</a></header>\
         <nav><ul><li>News</li><li>Skip to content</li></ul></nav>\
         <div class=\"cookie-banner\"><p>We use cookies on this site.</p><button>Accept</button></div>\
         <main><article>\n{body}\
         <div class=\"share-links\"><p>Share this page on social media</p></div>\
         </article></main>\
         <aside><h2>Related stories</h2><p>Elsewhere in the news</p></aside>\
         <footer><p>© Example Health 2026</p></footer>\
         <script>document.write('hidden')</script></body></html>\n"
    )
}

/// A sample as a newsletter email: the text as the plain part and the page
/// as the HTML part of a `multipart/alternative`, with an attachment.
fn as_email(name: &str, text: &str, n: i64) -> Vec<u8> {
    MessageBuilder::new()
        .from(("Example Health Digest", "digest@example.org"))
        .to("reader@example.org")
        .subject(format!("Sector news: {name}"))
        .date(1_767_000_000 + n * 3600)
        .text_body(text.to_string())
        .html_body(as_html(text))
        .attachment(
            "application/pdf",
            "report.pdf",
            vec![0u8, 1, 2, 3, 255].as_slice(),
        )
        .write_to_vec()
        .unwrap()
}

fn furniture_free(lib: &Library) {
    for s in &lib.stories {
        let all = std::iter::once(lib.headline(s))
            .chain(lib.paragraphs(s))
            .collect::<Vec<_>>()
            .join("\n");
        for junk in [
            "cookies",
            "not text",
            "Skip to content",
            "homepage",
            "Share this page",
            "Related stories",
            "© Example",
            "hidden",
            "report.pdf",
        ] {
            assert!(
                !all.contains(junk),
                "{junk:?} shown in {:?}",
                lib.headline(s)
            );
        }
    }
}

fn txt_rows(dir: &Path) -> Vec<Row> {
    let txt = dir.join("txt");
    fs::create_dir_all(&txt).unwrap();
    for (name, text) in sample_texts() {
        fs::write(txt.join(format!("{name}.txt")), text).unwrap();
    }
    let lib = load(&txt);
    assert_eq!(lib.stories.len(), 23, "the samples give 23 stories");
    rows(&lib)
}

#[test]
fn pages_give_the_stories_of_the_text_files() {
    let tmp = tempfile::tempdir().unwrap();
    let want = txt_rows(tmp.path());
    let pages = tmp.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    for (name, text) in sample_texts() {
        fs::write(pages.join(format!("{name}.html")), as_html(&text)).unwrap();
    }
    let lib = load(&pages);
    assert_eq!(rows(&lib), want);
    furniture_free(&lib);
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
    // The site's name is the source of a page's stories.
    assert!(
        lib.stories
            .iter()
            .all(|s| lib.source(s) == "Example Health")
    );
}

#[test]
fn emails_mbox_and_maildir_give_the_stories_of_the_text_files_once() {
    let tmp = tempfile::tempdir().unwrap();
    let want = txt_rows(tmp.path());
    let emails: Vec<Vec<u8>> = sample_texts()
        .iter()
        .zip(0..)
        .map(|((name, text), n)| as_email(name, text, n))
        .collect();

    let eml = tmp.path().join("eml");
    fs::create_dir_all(&eml).unwrap();
    for (i, e) in emails.iter().enumerate() {
        fs::write(eml.join(format!("{i}.eml")), e).unwrap();
    }

    let mbox = tmp.path().join("mbox");
    fs::create_dir_all(&mbox).unwrap();
    let mut all = Vec::new();
    for e in &emails {
        all.extend_from_slice(b"From digest@example.org Thu Jan  1 00:00:00 2026\n");
        all.extend_from_slice(e);
        all.extend_from_slice(b"\n");
    }
    fs::write(mbox.join("news"), &all).unwrap();

    let maildir = tmp.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    for (i, e) in emails.iter().enumerate() {
        let folder = if i % 2 == 0 { "cur" } else { "new" };
        let flags = if folder == "cur" { ":2,S" } else { "" };
        fs::write(
            maildir
                .join(folder)
                .join(format!("17670000{i}.M1P1.host{flags}")),
            e,
        )
        .unwrap();
    }
    // A Maildir++ sub-folder is read (its name is hidden); another hidden
    // folder is not.
    let sub = maildir.join(".Archive");
    for d in ["cur", "new", "tmp"] {
        fs::create_dir_all(sub.join(d)).unwrap();
    }
    let archived = MessageBuilder::new()
        .from(("Example Health Digest", "digest@example.org"))
        .subject("Archived")
        .date(1_767_000_000_i64)
        .text_body("An archived headline\n\nKept in a sub-folder.\n")
        .write_to_vec()
        .unwrap();
    fs::write(sub.join("cur/1.M1P1.host:2,S"), &archived).unwrap();
    fs::create_dir_all(maildir.join(".cache")).unwrap();
    fs::write(maildir.join(".cache/x.eml"), &archived).unwrap();
    // Mail still being delivered, and a stray file, are not read.
    fs::write(maildir.join("tmp/1767.M9P9.host"), &emails[0]).unwrap();
    fs::write(maildir.join("dovecot-uidlist"), "3 V1 N6\n").unwrap();

    for dir in [&eml, &mbox, &maildir] {
        let lib = load(dir);
        if dir == &maildir {
            let archived: Vec<String> = lib
                .stories
                .iter()
                .filter(|s| lib.headline(s) == "An archived headline")
                .map(|s| lib.origin(s).to_string())
                .collect();
            assert_eq!(
                archived.len(),
                1,
                "the sub-folder's message, once: {archived:?}"
            );
            assert!(archived[0].contains(".Archive"), "{archived:?}");
        }
        let got: Vec<Row> = rows(&lib)
            .into_iter()
            .filter(|r| r.2 != "An archived headline")
            .collect();
        assert_eq!(got, want, "{}", dir.display());
        furniture_free(&lib);
        assert!(
            lib.warnings.is_empty(),
            "{}: {:?}",
            dir.display(),
            lib.warnings
        );
        assert!(
            lib.stories
                .iter()
                .all(|s| lib.source(s) == "Example Health Digest"),
            "the sender is the source"
        );
    }
    // Newsletters sent as HTML only give the same stories too.
    let html_only = tmp.path().join("html-only");
    fs::create_dir_all(&html_only).unwrap();
    for (i, (name, text)) in sample_texts().iter().enumerate() {
        let mail = MessageBuilder::new()
            .from(("Example Health Digest", "digest@example.org"))
            .subject(format!("Sector news: {name}"))
            .html_body(as_html(text))
            .write_to_vec()
            .unwrap();
        fs::write(html_only.join(format!("{i}.eml")), mail).unwrap();
    }
    let lib = load(&html_only);
    assert_eq!(rows(&lib), want, "HTML-only mail");
    furniture_free(&lib);
    // Nothing was written to the mail.
    let names = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = walk(d);
        v.sort();
        v
    };
    let before = names(&maildir);
    let _ = load(&maildir);
    assert_eq!(names(&maildir), before);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_date_header_dates_a_story_whose_text_has_none() {
    let tmp = tempfile::tempdir().unwrap();
    let mail = MessageBuilder::new()
        .from(("Ward News", "news@example.org"))
        .subject("Weekly note")
        .date(1_770_000_000_i64) // 2 February 2026
        .text_body("Clinic hours change next month\n\nThe outpatient clinic will open an hour earlier from March.\n")
        .write_to_vec()
        .unwrap();
    fs::write(tmp.path().join("note.eml"), mail).unwrap();
    let lib = load(tmp.path());
    assert_eq!(lib.stories.len(), 1);
    let s = &lib.stories[0];
    assert_eq!(s.date.to_string(), "Mon 2 Feb 2026");
    assert_eq!(lib.headline(s), "Clinic hours change next month");
    assert_eq!(lib.source(s), "Ward News");
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
}

#[test]
fn hostile_containers_are_reported_and_the_rest_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("good.txt"), "A good story\n\nIt loads.\n").unwrap();
    // A multipart message whose boundary never comes, truncated.
    fs::write(
        dir.join("broken.eml"),
        "From: a@b.example\nSubject: Broken\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\n--WRONG\nContent-Type: text/plain\n\nSome words that are",
    )
    .unwrap();
    // A header line of 1 MB.
    let long = format!(
        "From: a@b.example\nSubject: {}\n\nLong subject\n\nStill read.\n",
        "x".repeat(1 << 20)
    );
    fs::write(dir.join("long.eml"), long).unwrap();
    // Base64 that is not base64, and a charset nobody knows.
    fs::write(
        dir.join("bad64.eml"),
        "From: a@b.example\nSubject: Bad\nContent-Type: text/plain; charset=x-unheard-of\nContent-Transfer-Encoding: base64\n\n!!!! not base64 at all ****\n",
    )
    .unwrap();
    // A page nested 100,000 levels deep, and hostile escapes in text and title.
    let deep = format!(
        "<html><head><title>\u{1b}]0;owned\u{7}Deep</title></head><body>{}<p>Deep headline</p><p>Deep text \u{1b}[2J here.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    fs::write(dir.join("deep.html"), deep).unwrap();
    // A page in a legacy charset it declares.
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("<html><head><meta charset=\"shift_jis\"></head><body><p>日本の病院</p><p>本文です。</p></body></html>");
    fs::write(dir.join("sjis.html"), &*sjis).unwrap();
    // A page of 20 MB.
    let mut big = String::from("<html><body><main><h1>Big page</h1>");
    while big.len() < 20 << 20 {
        big.push_str("<p>A paragraph of a very long page, one of many like it.</p>\n");
    }
    fs::write(dir.join("big.html"), big).unwrap();
    let lib = load(dir);
    let heads: Vec<&str> = lib.stories.iter().map(|s| lib.headline(s)).collect();
    assert!(heads.contains(&"A good story"), "{heads:?}");
    assert!(heads.contains(&"Deep headline"), "{heads:?}");
    assert!(heads.contains(&"Big page"), "{heads:?}");
    assert!(heads.contains(&"日本の病院"), "{heads:?}");
    assert!(heads.contains(&"Long subject"), "{heads:?}");
    for s in &lib.stories {
        for text in std::iter::once(lib.headline(s))
            .chain(lib.paragraphs(s))
            .chain(std::iter::once(lib.source(s)))
        {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{text:?}"
            );
        }
    }
    let warned = |file: &str, why: &str| {
        lib.warnings
            .iter()
            .any(|w| w.file.ends_with(file) && w.reason.contains(why))
    };
    assert!(
        warned("bad64.eml", "cannot be decoded"),
        "{:?}",
        lib.warnings
    );
    assert!(warned("broken.eml", "boundary"), "{:?}", lib.warnings);
    assert!(heads.iter().any(|h| h.contains("Some words")), "{heads:?}");
    assert!(
        lib.warnings
            .iter()
            .any(|w| w.reason.contains("x-unheard-of")),
        "{:?}",
        lib.warnings
    );
}

#[test]
fn a_big_mbox_and_a_big_attachment_load() {
    let tmp = tempfile::tempdir().unwrap();
    let mut mbox = Vec::new();
    for i in 0..10_000 {
        mbox.extend_from_slice(b"From x@example.org Thu Jan  1 00:00:00 2026\n");
        mbox.extend_from_slice(
            format!(
                "From: List <x@example.org>\nSubject: Item {i}\nDate: Thu, 1 Jan 2026 10:00:00 +0000\n\nStory number {i}\n\nIts text, number {i}.\n\n"
            )
            .as_bytes(),
        );
    }
    fs::write(tmp.path().join("big.mbox"), &mbox).unwrap();
    let attachment = vec![b'z'; 50 << 20];
    let mail = MessageBuilder::new()
        .from(("Sender", "s@example.org"))
        .subject("With a file")
        .text_body("Report attached\n\nThe report is attached.\n")
        .attachment("application/octet-stream", "big.bin", attachment.as_slice())
        .write_to_vec()
        .unwrap();
    drop(attachment);
    fs::write(tmp.path().join("attached.eml"), mail).unwrap();
    let lib = load(tmp.path());
    assert_eq!(lib.stories.len(), 10_001, "{:?}", lib.warnings);
    assert!(
        lib.stories
            .iter()
            .any(|s| lib.headline(s) == "Report attached")
    );
}
