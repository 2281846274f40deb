// Where in the YAML an SDL problem is. chain-sdk validates the parsed object and reports JSON pointers
// (`/services/web/expose/0/port`); the `yaml` package's document keeps each node's source range, and its
// LineCounter turns offsets into lines, so every problem points at the line and the field a person edits.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** One problem in an SDL file, located. */
export interface SdlIssue {
  /** 1-based; 0 when the place cannot be told. */
  readonly line: number;
  readonly column: number;
  /** `services.web.expose[0].port`; empty for the document as a whole. */
  readonly field: string;
  readonly message: string;
}

/** chain-sdk's validation error (an ajv error with its JSON pointer, or a semantic check's own message). */
export interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
  readonly message?: string;
}

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return { doc, lines };
}

/** The YAML's own syntax errors, located. */
export function syntaxIssues(parsed: ParsedYaml): SdlIssue[] {
  return parsed.doc.errors.map((e) => {
    const pos = parsed.lines.linePos(e.pos[0]);
    return {
      line: pos.line,
      column: pos.col,
      field: "",
      message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
    };
  });
}

/** `/services/web/expose/0` → ["services", "web", "expose", "0"] (RFC 6901 unescaping). */
function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** `services.web.expose[0].port`, as people write paths into YAML. */
export function fieldPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number" || /^\d+$/.test(s)) out += `[${s}]`;
    else out += out === "" ? s : `.${s}`;
  }
  return out;
}

interface Located {
  /** The value node at the path (or the deepest ancestor found). */
  readonly node: Node | undefined;
  /** The key of the pair holding that value, if it is in a map. */
  readonly key: Node | undefined;
  /** How many segments were found. */
  readonly depth: number;
}

function locate(doc: Document.Parsed, segments: readonly string[]): Located {
  let node: Node | undefined = doc.contents ?? undefined;
  let key: Node | undefined;
  let depth = 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? undefined;
    } else if (isSeq(node) && /^\d+$/.test(segment) && Number(segment) < node.items.length) {
      key = undefined;
      node = node.items[Number(segment)] as Node;
    } else {
      break;
    }
    depth++;
  }
  return { node, key, depth };
}

function position(parsed: ParsedYaml, node: Node | undefined): { line: number; column: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 0, column: 0 };
  const { line, col } = parsed.lines.linePos(offset);
  return { line, column: col };
}

/** The value at a path, for messages ("70000 is not a port"). */
function valueAt(parsed: ParsedYaml, segments: readonly string[]): unknown {
  const found = locate(parsed.doc, segments);
  if (found.depth !== segments.length || !found.node) return undefined;
  return isScalar(found.node) ? found.node.value : undefined;
}

const show = (v: unknown): string => (typeof v === "string" ? `"${v}"` : String(v));

/** One schema error as a person reads it, at the place to edit. */
export function locateSchemaError(parsed: ParsedYaml, error: SchemaError): SdlIssue {
  const segments = pointerSegments(error.instancePath);
  const params = error.params ?? {};
  const value = valueAt(parsed, segments);
  let target = segments;
  let pointAtKey = false;
  let message: string;
  switch (error.keyword) {
    case "additionalProperties":
      target = [...segments, String(params.additionalProperty)];
      pointAtKey = true;
      message = `unknown field "${params.additionalProperty}"`;
      break;
    case "required": {
      const missing = String(params.missingProperty);
      // chain-sdk's semantic checks explain themselves; the schema's own message is generic.
      message = error.message && !/ at "\//.test(error.message) ? error.message : `"${missing}" is missing`;
      pointAtKey = true;
      break;
    }
    case "maximum":
    case "minimum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      message = /portNumber/.test(error.schemaPath ?? "")
        ? `${show(value)} is not a port (1–65535)`
        : `${show(value)} must be ${params.comparison} ${params.limit}`;
      break;
    case "type":
      message = `${value === undefined ? "this" : show(value)} must be ${params.type === "object" ? "a map" : params.type === "array" ? "a list" : `a ${params.type}`}`;
      break;
    case "enum":
      message = `${show(value)} must be one of ${((params.allowedValues as unknown[]) ?? []).map(show).join(", ")}`;
      break;
    case "pattern":
      message = `${show(value)} is not valid here`;
      break;
    case "minLength":
      message = "must not be empty";
      break;
    default:
      message = (error.message ?? "is not valid").replace(/^"[^"]*" at "[^"]*" /, "").replace(/\.$/, "");
  }
  const found = locate(parsed.doc, target);
  const complete = found.depth === target.length;
  // A missing or unknown field points at the key of the map it belongs to (or its own key).
  const node =
    pointAtKey && complete && found.key ? found.key : complete ? found.node : (found.key ?? found.node);
  const fieldSegments = target.slice(0, complete || pointAtKey ? target.length : found.depth);
  return { ...position(parsed, node), field: fieldPath(fieldSegments), message: message.replace(/\.$/, "") };
}
