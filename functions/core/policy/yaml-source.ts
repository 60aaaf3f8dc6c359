/** YAML parsing that keeps source positions, so every load error names file, line and field. */
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { z } from 'zod';
import { PolicyLoadError, PolicyLoadErrors } from './errors.js';
import { formatPath } from './field-path.js';

export interface YamlSource {
  file: string;
  value: unknown;
  /** "line:column" of the node at a path (or of its nearest existing parent). */
  locate(path: readonly PropertyKey[]): string;
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) throw new PolicyLoadError(file, at(firstError.pos[0]), `invalid YAML: ${firstError.message.split('\n')[0]}`);
  const locate = (path: readonly PropertyKey[]): string => {
    // A key's own position (so an unknown key points at itself), else its value's, else the parent's.
    const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
    if (isMap(parent) && path.length) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      if (isNode(pair?.key) && pair.key.range) return at(pair.key.range[0]);
    }
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return '1:1';
  };
  return { file, value: doc.toJS(), locate };
}

export { formatPath };

/** Validates a parsed file against a zod schema; every issue becomes one located error. */
export function validateYaml<T extends z.ZodType>(source: YamlSource, schema: T): z.infer<T> {
  const parsed = schema.safeParse(source.value);
  if (parsed.success) return parsed.data;
  throw new PolicyLoadErrors(
    parsed.error.issues.map((issue) => {
      const path = issue.path;
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const where = unknownKeys.length ? [...path, unknownKeys[0]!] : path;
      const field = formatPath(where);
      return new PolicyLoadError(source.file, source.locate(where), `${field ? `${field}: ` : ''}${issue.message}`);
    }),
  );
}
