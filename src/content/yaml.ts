/**
 * Hardened YAML for front matter and site settings.
 *
 * The YAML 1.2 core schema has no timestamps, binary or custom types, so
 * values stay plain strings, numbers, booleans, lists and maps. Aliases,
 * anchors, merge keys, unknown tags and prototype-polluting keys are refused
 * outright: front matter never needs them and they are the usual attacks.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

export interface YamlProblem {
  message: string;
  line: number;
  column: number;
}

export interface ParsedYaml {
  data: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseYaml(source: string): { ok: true; value: ParsedYaml } | { ok: false; problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, {
    schema: 'core',
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
    lineCounter,
    customTags: [],
  });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const problems: YamlProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    problems.push({ message: explainYamlError(e.code, e.message), ...at(e.pos[0]) });
  }
  visit(doc, {
    Alias(_, node) {
      problems.push({ message: 'YAML aliases (*name) are not allowed: write the value out in full', ...at(node.range?.[0]) });
    },
    Node(_, node) {
      if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
        problems.push({ message: 'YAML anchors (&name) are not allowed: write the value out in full', ...at(node.range?.[0]) });
      }
      if (isScalar(node) && node.tag) {
        problems.push({ message: `YAML tags like ${node.tag} are not allowed: write a plain value`, ...at(node.range?.[0]) });
      }
    },
    Pair(_, pair) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value === 'string') {
        if (FORBIDDEN_KEYS.has(key.value)) {
          problems.push({ message: `"${key.value}" is not allowed as a key`, ...at(key.range?.[0]) });
        } else if (key.value === '<<') {
          problems.push({ message: 'YAML merge keys (<<) are not allowed: write the keys out in full', ...at(key.range?.[0]) });
        }
      } else if (key !== null && !isScalar(key)) {
        problems.push({ message: 'keys must be plain words', ...at((key as Node).range?.[0]) });
      }
    },
  });
  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };
  // maxAliasCount 0 is a second guard: there are no aliases to expand.
  const data = doc.toJS({ maxAliasCount: 0 });
  return { ok: true, value: { data, doc, lineCounter } };
}

function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function explainYamlError(code: string, message: string): string {
  const first = message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation: indent with spaces only';
    case 'DUPLICATE_KEY':
      return 'this key appears twice: keep only one';
    case 'TAG_RESOLVE_FAILED':
      return `${first}: custom YAML tags are not allowed, write a plain value`;
    default:
      return `the YAML is not valid (${first}); check indentation, colons and quotes`;
  }
}

/** Where a path of keys points in the document, for error positions. */
export function locate(
  parsed: ParsedYaml,
  path: readonly PropertyKey[],
  which: 'key' | 'value' = 'value',
): { line: number; column: number } {
  let node: unknown = parsed.doc.contents;
  let best: Node | null = (node as Node | null) ?? null;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    let next: unknown = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (pair) {
        const last = i === path.length - 1;
        next = last && which === 'key' ? pair.key : pair.value ?? pair.key;
        if (last && which === 'value' && pair.value === null) next = pair.key;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null || isAlias(next)) break;
    node = next;
    best = next as Node;
  }
  const pos = parsed.lineCounter.linePos(best?.range?.[0] ?? 0);
  return { line: pos.line, column: pos.col };
}
