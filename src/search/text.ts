/**
 * The plain text of a page body, for the index and for snippets. The body is
 * HTML that our Markdown renderer wrote (no raw HTML passes through it), so
 * its tags and its four escaped characters are known: block elements become
 * line breaks, inline elements disappear, and the escapes are undone.
 */
const BLOCK_TAG =
  /<\/?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|caption|blockquote|pre|hr|br|div|section)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const ESCAPES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&nbsp;': ' ',
};

export function textFromHtml(html: string): string {
  return html
    .replace(BLOCK_TAG, '\n')
    .replace(ANY_TAG, '')
    .replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (e) => ESCAPES[e] ?? e)
    .replace(/[ \t]*\n[\s]*/g, '\n')
    .trim();
}
