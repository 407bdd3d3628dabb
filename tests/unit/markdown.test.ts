import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMarkdown } from "../../server/services/markdown.ts";

describe("renderMarkdown", () => {
  it("renders emphasis, code, quotes and lists", () => {
    assert.equal(
      renderMarkdown("**b** _i_ `c`"),
      "<p><strong>b</strong> <em>i</em> <code>c</code></p>",
    );
    assert.match(renderMarkdown("> q"), /<blockquote>\s*<p>q<\/p>\s*<\/blockquote>/);
    assert.match(renderMarkdown("- a\n- b"), /<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
  });

  it("shows raw HTML as text", () => {
    assert.equal(renderMarkdown("<b onclick=x>hi</b>"), "<p>&lt;b onclick=x&gt;hi&lt;/b&gt;</p>");
  });

  it("drops javascript: and data: link targets but keeps the text", () => {
    assert.equal(
      renderMarkdown("[x](javascript:alert(1))"),
      '<p><a rel="nofollow ugc noopener noreferrer">x</a></p>',
    );
    assert.doesNotMatch(renderMarkdown("[x](data:text/html,<script>1</script>)"), /href=/);
  });

  it("turns images into links and headings into paragraphs", () => {
    assert.equal(
      renderMarkdown("![alt](https://a.example/i.png)"),
      '<p><a href="https://a.example/i.png" rel="nofollow ugc noopener noreferrer">alt</a></p>',
    );
    assert.equal(renderMarkdown("# big"), "<p>big</p>");
  });

  it("shows Markdown nested too deep for the parser as its plain text, escaped, instead of failing", () => {
    const quotes = `${"> ".repeat(4999)}x`;
    const stars = `${"*".repeat(4999)}x <b>\n\nnext`;
    for (const source of [quotes, stars]) {
      const html = renderMarkdown(source);
      assert.ok(!html.includes("<blockquote>") && !html.includes("<em>"));
      assert.ok(!html.includes("<b>"));
    }
    assert.equal(renderMarkdown(quotes), `<p>${"&gt; ".repeat(4999)}x</p>`);
    assert.equal(renderMarkdown(stars), `<p>${"*".repeat(4999)}x &lt;b&gt;</p>\n<p>next</p>`);
    // A quote nested a few levels is still a quote.
    assert.match(renderMarkdown("> > > x"), /^(<blockquote>\s*){3}<p>x<\/p>/);
  });
});
