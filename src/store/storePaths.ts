/**
 * What a path given to the content store may be: relative, with forward
 * slashes, inside the folder, no hidden or special segment. Checked before
 * the file system is touched; the store then checks that nothing on the way
 * is a symbolic link.
 */
import { StorePathError } from './contentStore.js';

const MAX_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;
const MAX_DEPTH = 16;
/** Letters, digits, hyphen, underscore and dot; not starting with a dot. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The path's segments, or a StorePathError saying what is wrong with it. */
export function checkStorePath(path: string): string[] {
  const refuse = (why: string): never => {
    throw new StorePathError(path, `"${printable(path)}" cannot be stored: ${why}`);
  };
  if (typeof path !== 'string' || path === '') refuse('the path is empty');
  if (path.length > MAX_PATH_LENGTH) refuse(`the path is longer than ${MAX_PATH_LENGTH} characters`);
  if (path.startsWith('/') || path.includes('\\'))
    refuse('write a path inside the content folder, with "/" between folders');
  const segments = path.split('/');
  if (segments.length > MAX_DEPTH) refuse(`folders are nested more than ${MAX_DEPTH} deep`);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..')
      refuse('the path leaves the content folder or has an empty part');
    if (segment.length > MAX_SEGMENT_LENGTH) refuse(`a name is longer than ${MAX_SEGMENT_LENGTH} characters`);
    if (!SEGMENT.test(segment) || segment.includes('..')) {
      refuse('names may use letters, digits, "-", "_" and "." and must not start with "."');
    }
  }
  return segments;
}

function printable(s: string): string {
  return String(s)
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    .slice(0, 200);
}
