import { htmlToText, sanitiseRichText, textToHtml, wordCount } from '../../src/portfolio/rich-text';

describe('sanitising rich text', () => {
  test('removes scripts, event handlers and javascript: links', () => {
    const dirty =
      '<p onclick="x()">Hi<script>alert(1)</script></p><img src=x onerror="alert(1)"><a href="javascript:alert(1)">bad</a><a href="https://alt.ac.uk" target="_blank">ALT</a>';
    const clean = sanitiseRichText(dirty);
    expect(clean).not.toMatch(/script|onerror|onclick|javascript:|<img|target=/i);
    expect(clean).toContain('<a href="https://alt.ac.uk" rel="noopener noreferrer">ALT</a>');
    expect(clean).toContain('<p>Hi</p>');
  });

  test('keeps the allowed structure and maps the editor and Word tags to it', () => {
    const clean = sanitiseRichText(
      '<h1>Title</h1><div>Line <b>bold</b> <i>it</i></div><ul><li>one</li></ul><blockquote>q</blockquote><a href="mailto:a@b.org">mail</a>',
    );
    expect(clean).toBe(
      '<h3>Title</h3><p>Line <strong>bold</strong> <em>it</em></p><ul><li>one</li></ul><blockquote>q</blockquote><a href="mailto:a@b.org" rel="noopener noreferrer">mail</a>',
    );
  });

  test('drops Word styling and classes from pasted text', () => {
    const clean = sanitiseRichText('<p class="MsoNormal" style="margin:0"><span style="font-family:Calibri">Pasted</span><o:p></o:p></p>');
    expect(clean).toBe('<p>Pasted</p>');
  });

  test('links with other schemes lose their address', () => {
    expect(sanitiseRichText('<a href="data:text/html,x">d</a><a href="//evil.example">p</a>')).not.toMatch(/href/);
  });
});

describe('plain text round trip', () => {
  test('blank lines make paragraphs, "- " lines make a list, markup is escaped', () => {
    const html = textToHtml('First <b>para</b>\nsame para\n\n- one\n- two');
    expect(html).toBe('<p>First &lt;b&gt;para&lt;/b&gt;<br />same para</p><ul><li>one</li><li>two</li></ul>');
    expect(htmlToText(html)).toBe('First <b>para</b>\nsame para\n\n- one\n- two');
  });

  test('counts words in HTML, not tags', () => {
    expect(wordCount('<p>One two</p><ul><li>three</li></ul><p>it’s four-five</p>')).toBe(5);
    expect(wordCount('')).toBe(0);
  });
});
