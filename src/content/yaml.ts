/**
 * Hardened YAML for front matter and site settings.
 *
 * The YAML 1.2 core schema has no timestamps, binary or custom types, so
 * values stay plain strings, numbers, booleans, lists and maps. Aliases,
 * anchors, merge keys, unknown tags and prototype-polluting keys are refused
 * outright: front matter never needs them and they are the usual attacks.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { SourcePositions, type Position } from './positions.js';
import { explainYamlSlips, REFUSED, type RawYamlProblem } from './yamlSlips.js';

export interface YamlProblem {
  message: string;
  line: number;
  column: number;
}

export interface ParsedYaml {
  data: unknown;
  /** Where every key, value and list item is, for pointing at it later. */
  positions: SourcePositions;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Limits on collections written in brackets ([a, b] and {k: v}), checked
 * in one pass before parsing. The parser recurses once per level, so
 * thousands of brackets cost a stack overflow, and thousands of items cost
 * a tenth of a second; front matter never needs more than a few of either.
 */
export const MAX_FLOW_NESTING = 32;
export const MAX_FLOW_ITEMS = 256;

/** Deepest bracket nesting and number of commas inside brackets, with where each limit was first passed. */
export function scanFlowCollections(source: string): {
  depth: number;
  depthOffset: number;
  items: number;
  itemsOffset: number;
} {
  let depth = 0;
  let max = 0;
  let depthOffset = 0;
  let items = 0;
  let itemsOffset = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max === MAX_FLOW_NESTING + 1) depthOffset = i;
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    } else if (c === 0x2c && depth > 0) {
      items++;
      if (items === MAX_FLOW_ITEMS) itemsOffset = i;
    }
  }
  return { depth: max, depthOffset, items, itemsOffset };
}

/** Problems reported per file at most. */
export const MAX_PROBLEMS = 20;

export function parseYaml(source: string): { ok: true; value: ParsedYaml } | { ok: false; problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const flow = scanFlowCollections(source);
  if (flow.depth > MAX_FLOW_NESTING) {
    return {
      ok: false,
      problems: [
        {
          message: `brackets are nested more than ${MAX_FLOW_NESTING} deep: write simpler values`,
          ...lineAndColumn(source, flow.depthOffset),
        },
      ],
    };
  }
  if (flow.items >= MAX_FLOW_ITEMS) {
    return {
      ok: false,
      problems: [
        {
          message: `a list or map in brackets has more than ${MAX_FLOW_ITEMS} items: write a shorter list`,
          ...lineAndColumn(source, flow.itemsOffset),
        },
      ],
    };
  }
  const doc = parseDocument(source, {
    schema: 'core',
    merge: false,
    // The parser's own duplicate check compares every key with every other
    // (thousands of keys cost a tenth of a second); ours below uses a set.
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
    lineCounter,
    customTags: [],
  });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const problems: RawYamlProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings].slice(0, MAX_PROBLEMS)) {
    problems.push({ message: explainYamlError(e.code, e.message), code: e.code, ...at(e.pos[0]) });
  }
  // A hostile file can hold thousands of problems; the first few are enough
  // to act on, and stopping early keeps the cost of a bad file bounded.
  const add = (p: RawYamlProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  // Anchors and tags, on any kind of node. (The visitor calls only the most
  // specific function for a node: Map for maps, Node for the rest.)
  const checkNode = (node: Node) => {
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
      add({
        message: 'YAML anchors (&name) are not allowed: write the value out in full',
        code: REFUSED,
        ...at(node.range?.[0]),
      });
    }
    // Every tag: !!omap, !!set or !!map on a list or map as much as !!binary on a value.
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.tag) {
      add({
        code: REFUSED,
        message:
          `YAML tags like ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} are ` + `not allowed: write a plain value`,
        ...at(tagStart(source, node.range?.[0] ?? 0)),
      });
    }
  };
  visit(doc, {
    Map(_, map) {
      if (problems.length >= MAX_PROBLEMS) return visit.BREAK;
      checkNode(map);
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // Merge keys are reported as such below, not as duplicates.
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        if (seen.has(pair.key.value)) {
          add({ message: explainYamlError('DUPLICATE_KEY', ''), code: 'DUPLICATE_KEY', ...at(pair.key.range?.[0]) });
        }
        seen.add(pair.key.value);
      }
    },
    Alias(_, node) {
      if (problems.length >= MAX_PROBLEMS) return visit.BREAK;
      add({
        message: 'YAML aliases (*name) are not allowed: write the value out in full',
        code: REFUSED,
        ...at(node.range?.[0]),
      });
    },
    Node(_, node) {
      if (problems.length >= MAX_PROBLEMS) return visit.BREAK;
      checkNode(node);
    },
    Pair(_, pair) {
      if (problems.length >= MAX_PROBLEMS) return visit.BREAK;
      const key = pair.key;
      if (isScalar(key) && typeof key.value === 'string') {
        if (FORBIDDEN_KEYS.has(key.value)) {
          add({ message: `"${key.value}" is not allowed as a key`, code: REFUSED, ...at(key.range?.[0]) });
        } else if (key.value === '<<') {
          add({
            message: 'YAML merge keys (<<) are not allowed: write the keys out in full',
            code: REFUSED,
            ...at(key.range?.[0]),
          });
        }
      } else if (key !== null && !isScalar(key)) {
        add({ message: 'keys must be plain words', code: 'KEY_NOT_PLAIN', ...at((key as Node).range?.[0]) });
      }
    },
  });
  if (problems.length > 0) return { ok: false, problems: dedupe(explainYamlSlips(source, problems)) };
  // maxAliasCount 0 is a second guard: there are no aliases to expand.
  const data = doc.toJS({ maxAliasCount: 0 });
  return { ok: true, value: { data, positions: recordPositions(doc.contents, lineCounter) } };
}

/**
 * Walks the document once and records where each key, value and list item
 * starts. The walk is as deep as the document, which the limits above bound.
 */
function recordPositions(contents: unknown, lineCounter: LineCounter): SourcePositions {
  const at = (node: unknown): Position => {
    const pos = lineCounter.linePos((node as Node | null)?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const positions = new SourcePositions(at(contents));
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const keyPath = [...path, String(pair.key.value)];
        positions.record(keyPath, at(pair.key), at(pair.value ?? pair.key));
        walk(pair.value, keyPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemPath = [...path, index];
        positions.record(itemPath, at(item), at(item));
        walk(item, itemPath);
      });
    }
  };
  walk(contents, []);
  return positions;
}

/**
 * Where the tag before a node is written: a collection's range starts at its
 * first item, on the line after a tag such as "navigation: !!map". Falls
 * back to the node itself when anything but white space comes between.
 */
function tagStart(source: string, nodeStart: number): number {
  let i = nodeStart;
  while (i > 0 && /\s/.test(source[i - 1]!)) i--;
  const end = i;
  while (i > 0 && !/\s/.test(source[i - 1]!)) i--;
  return source[i] === '!' && end > i ? i : nodeStart;
}

function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

function dedupe(problems: readonly RawYamlProblem[]): YamlProblem[] {
  const seen = new Set<string>();
  const kept: YamlProblem[] = [];
  for (const { message, line, column } of problems) {
    const k = `${line}:${column}:${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push({ message, line, column });
  }
  return kept;
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
