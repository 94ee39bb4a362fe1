//! A [`Document`] as one self-contained HTML5 page, ready to publish on a website: the styles
//! inline, no scripts, nothing fetched from anywhere, readable on a phone (viewport, a
//! measure of about 70 characters) and printable on A4. Every text is escaped, so a policy
//! text can never become markup.

use std::fmt::Write as _;

use serde_json::Value;

use crate::output::cell_text;
use crate::output::document::{Block, Body, Document, Section, WhenEmpty};

/// The page's styles. System fonts only: a web font would be a request to somewhere else.
const STYLE: &str = "\
:root{color-scheme:light}\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;\
font-size:1rem;line-height:1.55;color:#1b1b1b;background:#fff;max-width:44rem;margin:0 auto;\
padding:1rem 1.25rem 3rem;overflow-wrap:break-word;hyphens:auto}\
h1{font-size:1.8rem;line-height:1.2;margin:1.5rem 0 .5rem}\
h2{font-size:1.25rem;line-height:1.3;margin:2.25rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid #d0d0d0}\
h3{font-size:1.05rem;margin:1.5rem 0 .25rem}\
p,ul,dl,table{margin:.5rem 0}\
ul{padding-left:1.4rem}\
li{margin:.2rem 0}\
dl{display:grid;grid-template-columns:fit-content(40%) 1fr;gap:.2rem 1rem}\
dt{font-weight:600}\
dd{margin:0}\
table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #d0d0d0;padding:.25rem .5rem;text-align:left;vertical-align:top}\
.lead{color:#444}\
@media (max-width:32rem){dl{display:block}dd{margin:0 0 .5rem}}\
@page{size:A4;margin:20mm 18mm}\
@media print{body{max-width:none;padding:0;font-size:10.5pt;color:#000}\
h2,h3{break-after:avoid}li,dt,dd,tr{break-inside:avoid}}";

/// Text as HTML shows it: `&`, `<`, `>` and both quotes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Document {
    /// The whole page: the first heading line is its title and `<h1>`, the other heading
    /// lines paragraphs under it, each section a `<section>` with its title as `<h2>`.
    pub fn to_html(&self) -> String {
        let mut s = String::with_capacity(16 * 1024);
        let title = self.heading.first().map(String::as_str).unwrap_or_default();
        let full_title = match self.heading.get(1) {
            Some(sub) => format!("{title} – {sub}"),
            None => title.to_string(),
        };
        let _ = write!(
            s,
            "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
            self.lang.as_str(),
            escape(&full_title)
        );
        if !title.is_empty() {
            let _ = writeln!(s, "<h1>{}</h1>", escape(title));
        }
        for line in self.heading.iter().skip(1) {
            let _ = writeln!(s, "<p class=\"lead\">{}</p>", escape(line));
        }
        for sec in self.sections.iter().filter(|sec| !sec.omitted()) {
            self.html_section(&mut s, sec);
        }
        s.push_str("</main>\n</body>\n</html>\n");
        s
    }

    fn html_section(&self, s: &mut String, sec: &Section) {
        let _ = writeln!(s, "<section id=\"{}\">", escape(sec.key));
        if !sec.title.is_empty() {
            let _ = writeln!(s, "<h2>{}</h2>", escape(&sec.title));
        }
        if sec.body.is_empty() {
            if let WhenEmpty::Say(t) = &sec.when_empty {
                paragraphs(s, t);
            }
        } else {
            match &sec.body {
                Body::Blocks(blocks) => {
                    for b in blocks {
                        html_block(s, b);
                    }
                }
                Body::Text(t) => paragraphs(s, t),
                Body::List(items) => list(s, items.iter().map(String::as_str)),
                Body::Fields(f) => {
                    s.push_str("<dl>\n");
                    for (label, v) in f {
                        let lines = match v {
                            Value::Array(items) => items.iter().map(cell_text).collect(),
                            other => vec![cell_text(other)],
                        };
                        let lines: Vec<String> = lines
                            .iter()
                            .flat_map(|l| l.lines())
                            .filter(|l| !l.trim().is_empty())
                            .map(escape)
                            .collect();
                        if !lines.is_empty() {
                            let _ = writeln!(
                                s,
                                "<dt>{}</dt><dd>{}</dd>",
                                escape(label),
                                lines.join("<br>")
                            );
                        }
                    }
                    s.push_str("</dl>\n");
                }
                Body::Rows { headers, rows } => {
                    s.push_str("<table>\n<thead><tr>");
                    for h in headers {
                        let _ = write!(s, "<th>{}</th>", escape(h));
                    }
                    s.push_str("</tr></thead>\n<tbody>\n");
                    for r in rows {
                        s.push_str("<tr>");
                        for v in r {
                            let _ = write!(s, "<td>{}</td>", escape(&cell_text(v)));
                        }
                        s.push_str("</tr>\n");
                    }
                    s.push_str("</tbody>\n</table>\n");
                }
            }
        }
        for n in &sec.notes {
            paragraphs(s, n);
        }
        s.push_str("</section>\n");
    }
}

fn html_block(s: &mut String, b: &Block) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(s, "<h3>{}</h3>", escape(h));
        }
        Block::Paragraph(p) => paragraphs(s, p),
        Block::List(items) if items.is_empty() => {}
        Block::List(items) => list(s, items.iter().map(String::as_str)),
        Block::Fields(f) if f.is_empty() => {}
        Block::Fields(f) => {
            s.push_str("<dl>\n");
            for (l, v) in f {
                let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape(l), escape(v));
            }
            s.push_str("</dl>\n");
        }
    }
}

/// A text as paragraphs: a blank line starts a new one, a line break stays one.
fn paragraphs(s: &mut String, text: &str) {
    for p in text.trim().split("\n\n").filter(|p| !p.trim().is_empty()) {
        let lines: Vec<String> = p.trim().lines().map(|l| escape(l.trim())).collect();
        let _ = writeln!(s, "<p>{}</p>", lines.join("<br>\n"));
    }
}

fn list<'a>(s: &mut String, items: impl Iterator<Item = &'a str>) {
    s.push_str("<ul>\n");
    for i in items {
        let _ = writeln!(s, "<li>{}</li>", escape(i));
    }
    s.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labels::Lang;
    use crate::model::time::Tz;
    use crate::output::document::Layout;

    fn page(sections: Vec<Section>) -> String {
        Document {
            lang: Lang::Fi,
            zone: Tz::UTC,
            layout: Layout::Markdown,
            heading: vec!["Tietosuojaseloste".into(), "Rekisteri <b>".into()],
            sections,
        }
        .to_html()
    }

    #[test]
    fn a_page_is_html5_in_its_language_with_its_title() {
        let h = page(vec![]);
        assert!(
            h.starts_with(
                "<!doctype html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n"
            ),
            "{h}"
        );
        assert!(
            h.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        );
        assert!(
            h.contains("<title>Tietosuojaseloste – Rekisteri &lt;b&gt;</title>"),
            "{h}"
        );
        assert!(h.contains("@page{size:A4"), "{h}");
        assert!(h.contains("@media print{"), "{h}");
        assert!(h.ends_with("</main>\n</body>\n</html>\n"), "{h}");
        for external in ["<script", "<link", "src=", "href=", "@import", "url("] {
            assert!(!h.contains(external), "{external} in {h}");
        }
    }

    #[test]
    fn every_text_is_escaped() {
        let evil = "<script>alert('x')</script> & \"more\"";
        let h = page(vec![Section::blocks(
            "s",
            vec![
                Block::Heading(evil.into()),
                Block::Paragraph(evil.into()),
                Block::List(vec![evil.into()]),
                Block::Fields(vec![(evil.into(), evil.into())]),
            ],
        )
        .titled(evil)]);
        assert!(!h.contains("<script>"), "{h}");
        assert!(
            h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
        assert_eq!(h.matches("&lt;script&gt;").count(), 6, "{h}");
    }

    #[test]
    fn empty_lists_and_omitted_sections_leave_no_markup() {
        let h = page(vec![
            Section::blocks("a", vec![Block::Heading("H".into()), Block::List(vec![])])
                .titled("A")
                .when_empty(WhenEmpty::Omit),
            Section::blocks("b", vec![Block::Paragraph("Text\n\nMore".into())]).titled("B"),
        ]);
        assert!(!h.contains("<h2>A</h2>"), "{h}");
        assert!(!h.contains("<ul>"), "{h}");
        assert!(
            h.contains("<section id=\"b\">\n<h2>B</h2>\n<p>Text</p>\n<p>More</p>\n</section>\n"),
            "{h}"
        );
    }
}
