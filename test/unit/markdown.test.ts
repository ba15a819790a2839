import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/shared/markdown.ts';

describe('markdown written by users', () => {
  it('renders formatting, lists and links', () => {
    const html = renderMarkdown('**Bold** and _em_\n\n- one\n- two\n\n[docs](https://example.com)');
    assert.match(html, /<strong>Bold<\/strong>/);
    assert.match(html, /<li>one<\/li>/);
    assert.match(html, /<a href="https:\/\/example.com" rel="nofollow noopener noreferrer ugc">docs<\/a>/);
  });

  it('never lets script through: tags, javascript: links, event handlers', () => {
    const html = renderMarkdown(
      ['<script>alert(1)</script>', '[click](javascript:alert(1))', '<img src=x onerror=alert(1)>', '[x](JaVaScRiPt:alert(1))', '<a href="https://x" onclick="alert(1)">x</a>'].join('\n\n'),
    );
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<[^>]*\son\w+=/i, 'no event handler attribute on any tag');
    assert.match(html, /&lt;script&gt;/, 'raw HTML is shown as text');
  });

  it('drops images and data: links', () => {
    const html = renderMarkdown('![a](https://example.com/a.png) [d](data:text/html,hi)');
    assert.doesNotMatch(html, /<img|href="data:/);
  });
});
