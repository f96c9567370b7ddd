use super::*;

#[test]
fn the_main_content_is_kept_and_furniture_dropped() {
    let page = read(
        "<!doctype html><html><head><title> Strike talks | Health News </title>\
         <meta property=\"og:site_name\" content=\"Health News\">\
         <meta name=\"author\" content=\"Jane Smith\">\
         <meta property=\"article:published_time\" content=\"2026-02-03T08:00:00Z\">\
         <script>if (a < b) { document.write('<p>no</p>') }</script></head><body>\
         <header><p>Site banner</p></header><nav>Home | News</nav>\
         <div id=\"cookie-notice\"><p>We use cookies</p></div>\
         <article><header><h1>Strike   talks\n resume</h1><time datetime=\"2026-02-01\">1 Feb</time></header>\
         <p>Talks &amp; more talks\n  began   today.</p>\
         <ul><li>First point</li><li>Second <b>point</b></li></ul>\
         <p>A line<br>and another</p>\
         <div class=\"share-box\"><p>Share on X</p></div><figure><img src=x><figcaption>Picture: Agency</figcaption></figure>\
         </article><aside><p>Most read</p></aside><footer><p>Copyright</p></footer></body></html>",
    );
    assert_eq!(page.title.as_deref(), Some("Strike talks | Health News"));
    assert_eq!(page.site.as_deref(), Some("Health News"));
    assert_eq!(page.author.as_deref(), Some("Jane Smith"));
    assert_eq!(page.published.as_deref(), Some("2026-02-03T08:00:00Z"));
    assert_eq!(page.headline.as_deref(), Some("Strike talks resume"));
    assert_eq!(
        page.paras,
        [
            "Strike talks resume",
            "1 Feb",
            "Talks & more talks began today.",
            "• First point\n• Second point",
            "A line\nand another",
        ]
    );
}

#[test]
fn without_marked_main_content_the_whole_body_is_read() {
    let page = read("<html><body><h2>A heading</h2><p>Its text.</p><div>More</div></body></html>");
    assert_eq!(page.paras, ["A heading", "Its text.", "More"]);
    assert_eq!(page.headline, None);
    // The time of the page, from `<time>`, when its data has none.
    let page =
        read("<html><body><p><time datetime=\"2025-07-30\">30 July</time> Note</p></body></html>");
    assert_eq!(page.published.as_deref(), Some("2025-07-30"));
}

#[test]
fn unclosed_and_deep_markup_costs_nothing_special() {
    let deep = format!("<html><body>{}<p>Deep</p>", "<div><span>".repeat(200_000));
    assert_eq!(read(&deep).paras, ["Deep"]);
    let page = read("<p>One<p>Two<li>item</ul>");
    assert_eq!(page.paras, ["One", "Two\n• item"]);
}

#[test]
fn pages_are_told_from_text() {
    assert!(looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><html>"));
    assert!(looks_like_html(b"<html lang=en>"));
    assert!(looks_like_html(b"<!-- saved --><html>"));
    assert!(!looks_like_html(b"Article\n\n<b>not a page</b>"));
    assert!(!looks_like_html(b"<!-- a comment only -->"));
}

#[test]
fn a_page_names_its_charset() {
    let page =
        b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">";
    assert_eq!(declared_charset(page), Some(encoding_rs::SHIFT_JIS));
    assert_eq!(
        declared_charset(b"<meta charset='utf-8'>"),
        Some(encoding_rs::UTF_8)
    );
    assert_eq!(declared_charset(b"<p>no charset here</p>"), None);
}
