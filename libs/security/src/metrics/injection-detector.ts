/**
 * Shapes of SQL and script injection that ordinary form input practically never has. Each
 * needs syntax around the keyword (a quote before `OR`, `FROM` after `DELETE`, a `<` before
 * `script`), so prose such as "O'Brien", "union of workers" or "drop in sales; update
 * plans" is not flagged.
 */
const EVENT_HANDLERS = [
  'error',
  'load',
  'click',
  'dblclick',
  'mouse\\w+',
  'focus\\w*',
  'blur',
  'key\\w+',
  'submit',
  'change',
  'input',
  'toggle',
  'begin',
  'end',
  'animation\\w+',
  'transition\\w+',
  'pointer\\w+',
  'touch\\w+',
  'drag\\w*',
  'drop',
  'wheel',
  'scroll',
  'resize',
  'unload',
  'abort',
  'play',
  'pause',
  'message',
];
// <img src=x onerror=...>, <svg/onload=...>; bounded so a long string cannot backtrack far.
const EVENT_HANDLER_ATTRIBUTE = new RegExp(
  `<[a-z][\\w-]*\\b[^>]{0,200}?[\\s/"']on(${EVENT_HANDLERS.join('|')})\\s*=`,
  'i',
);

const INJECTION_SHAPES: readonly RegExp[] = [
  // ' OR '1'='1, " or 1=1 --, ') OR 'x' LIKE 'x
  /['"`]\s*\)?\s*(or|and)\s+[\w'"`(]+\s*(=|<>|!=|>|<|\blike\b)/i,
  // 1 OR 1=1, x AND 'a'='a' in fields that are not quoted
  /\b(or|and)\s+(['"]?)(\w+)\2\s*=\s*\2\3\2/i,
  // admin'-- and admin'# : a closed quote followed by a comment to the end
  /['"`]\s*\)?\s*(--.*|#|\/\*.*)$/,
  /\bunion\b(\s+all|\s+distinct)?\s+select\b/i,
  /;\s*(drop|alter|truncate|create)\s+(table|database|schema|user|role|function)\b/i,
  /;\s*(delete\s+from|insert\s+into|update\s+\w+\s+set|exec(ute)?\s|grant\s|shutdown\b)/i,
  /\b(pg_sleep|sleep|benchmark)\s*\(\s*\d+\s*[,)]|\bwaitfor\s+delay\b/i,
  /\b(xp_cmdshell|information_schema\.|pg_catalog\.|load_file\s*\(|into\s+outfile\b)/i,
  // <script>, </script>, <iframe ...>
  /<\/?script\b/i,
  EVENT_HANDLER_ATTRIBUTE,
  /<(iframe|object|embed|applet|meta|base|link|svg|math|form)\b/i,
  /\b(javascript|vbscript|livescript):\S/i,
  /\bdata:text\/html\b/i,
  /\{\{\s*constructor\b|\$\{\s*jndi\s*:/i,
];

const MAX_DEPTH = 8;
const MAX_STRING_LENGTH = 10_000;

function normalize(value: string): string {
  // `UNION/**/SELECT` and `%27%20OR%20` are the same attacks spelled to slip past filters.
  let text = value.length > MAX_STRING_LENGTH ? value.slice(0, MAX_STRING_LENGTH) : value;
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // Not valid percent-encoding: inspect it as written.
    }
  }
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** Whether one string has a common SQL-injection or script-injection shape. */
export function looksLikeInjection(value: string): boolean {
  const text = normalize(value);
  return INJECTION_SHAPES.some((shape) => shape.test(text));
}

/**
 * Paths of the string fields in `value` (a validated body, query or params object) that look
 * like SQL or script injection: `name`, `address.city`, `tags.2`; a string at the root is
 * reported as `''`. Detection only: the caller counts and logs it
 * (`logSuspiciousActivity('injection', { details: { fields } })`) and validation still
 * answers the request. Never log the values themselves; they may be secrets.
 *
 * @example
 * ```ts
 * findInjectionShapes({ name: "x' OR '1'='1", city: 'Pune' }); // ['name']
 * ```
 */
export function findInjectionShapes(value: unknown): string[] {
  const found: string[] = [];
  visit(value, '', 0, found);
  return found;
}

function visit(value: unknown, path: string, depth: number, found: string[]): void {
  if (typeof value === 'string') {
    if (looksLikeInjection(value)) found.push(path);
    return;
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return;

  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    visit(item, path ? `${path}.${key}` : String(key), depth + 1, found);
  }
}
