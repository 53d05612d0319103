/**
 * Where each front matter key and value sits in its file, recorded once when
 * the YAML is parsed. Every check that points at a setting (validation,
 * documents, governance, titles) asks this one locator, so positions are
 * never guessed from the text again and no syntax tree is kept after parsing.
 */

export interface Position {
  line: number;
  column: number;
}

interface Entry {
  key: Position;
  value: Position;
}

/** A path of keys and list indexes, e.g. ['files', 0, 'file']. */
export type KeyPath = readonly PropertyKey[];

const SEPARATOR = '\u0000';

function keyOf(path: KeyPath): string {
  return path.map(String).join(SEPARATOR);
}

const FILE_START: Position = { line: 1, column: 1 };

export class SourcePositions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly root: Position = FILE_START) {}

  /** Records a node: its key (or, for a list item, the item itself) and its value. */
  record(path: KeyPath, key: Position, value: Position): void {
    this.entries.set(keyOf(path), { key, value });
  }

  /**
   * The position of a key or its value. A path that does not exist (a key
   * that is missing, say) gives the position of its nearest existing parent,
   * which is where the missing setting belongs.
   */
  at(path: KeyPath, which: 'key' | 'value' = 'value'): Position {
    for (let length = path.length; length > 0; length--) {
      const entry = this.entries.get(keyOf(path.slice(0, length)));
      if (entry) return length === path.length ? entry[which] : entry.value;
    }
    return this.root;
  }

  /** Positions of a file with no front matter to point into. */
  static none(): SourcePositions {
    return new SourcePositions();
  }

  /** Plain data, to cross to another thread (a class instance would arrive without its methods). */
  toPlain(): PlainPositions {
    return { root: this.root, entries: [...this.entries] };
  }

  static fromPlain(plain: PlainPositions): SourcePositions {
    const positions = new SourcePositions(plain.root);
    for (const [key, entry] of plain.entries) positions.entries.set(key, entry);
    return positions;
  }
}

/** SourcePositions as plain data. */
export interface PlainPositions {
  root: Position;
  entries: [string, Entry][];
}
