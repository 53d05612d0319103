/**
 * Content text made safe to print. A content file is hostile until shown
 * otherwise, and a terminal acts on the bytes it is given: an escape
 * sequence can set the window title, clear the screen or move the cursor,
 * and a carriage return or line break can print a fake "Content OK" over
 * the real report in a CI log. Bidirectional controls (U+202E and friends)
 * make text read differently from what it is. Each is shown instead as a
 * visible escape such as \x1b or \u202e.
 */

const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE_KEEPING_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text (a file name, a message, a quoted source line): every control is escaped, line breaks too. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Text of several lines, our own report: line feeds kept, every other control escaped. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escape);
}

/** Bidirectional controls, which make text display in a different order from the one it has. */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
