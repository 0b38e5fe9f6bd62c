// What the docs check reads out of Markdown: headings and their GitHub anchors, links, code spans and
// `npm run` commands. A line-based reader is enough for the project's own Markdown (ATX headings, inline
// links, fenced code), and it stays linear: every pattern here matches without backtracking.

/** One line of a Markdown file, and whether it sits inside a fenced code block. */
export interface MarkdownLine {
  number: number;
  text: string;
  fenced: boolean;
}

/** The file's lines, fences marked (a fence's own lines count as fenced). */
export function markdownLines(markdown: string): MarkdownLine[] {
  let fence: string | undefined;
  return markdown.split('\n').map((text, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return { number: index + 1, text, fenced: true };
    }
    return { number: index + 1, text, fenced: fence !== undefined };
  });
}

/** A heading's text as GitHub renders it: links reduced to their text, code and emphasis marks dropped. */
function headingText(heading: string): string {
  return linkTexts(heading)
    .replace(/`/g, '')
    .replace(/\*/g, '')
    .trim();
}

/** Text with every inline link and image, `[text](target)`, reduced to its text, in one pass. */
function linkTexts(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('[', from); open !== -1; open = text.indexOf('[', from)) {
    const close = text.indexOf(']', open + 1);
    if (close === -1) break;
    const inner = text.lastIndexOf('[', close);
    const end = text[close + 1] === '(' ? text.indexOf(')', close + 2) : -1;
    if (end === -1) {
      out += text.slice(from, close + 1);
    } else {
      const start = inner > 0 && text[inner - 1] === '!' ? inner - 1 : inner;
      out += text.slice(from, start) + text.slice(inner + 1, close);
    }
    from = end === -1 ? close + 1 : end + 1;
  }
  return out + text.slice(from);
}

/**
 * GitHub's anchor for a heading (github-slugger): lower-cased, every character that is not a letter, a
 * number, a combining mark, a connector (`_`), a hyphen or a space removed, then spaces made hyphens.
 */
export function githubSlug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file's headings produce, repeats numbered as GitHub numbers them (`x`, `x-1`, `x-2`). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of markdownLines(markdown)) {
    if (line.fenced) continue;
    const heading = atxHeading(line.text);
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** An ATX heading's text (`## Text ##` gives `Text`), or undefined when the line is not a heading. */
function atxHeading(text: string): string | undefined {
  let level = 0;
  while (text[level] === '#') level += 1;
  if (level === 0 || level > 6 || (text[level] !== ' ' && text[level] !== '\t')) return undefined;
  const rest = text.slice(level).trim();
  let end = rest.length;
  while (end > 0 && rest[end - 1] === '#') end -= 1;
  // A closing run of #s counts only after a space (or as the whole text).
  return end === 0 || rest[end - 1] === ' ' || rest[end - 1] === '\t' ? rest.slice(0, end).trim() : rest;
}

interface CodeSpan {
  start: number;
  end: number;
  content: string;
}

/**
 * The code spans of one line, found by walking its backtick runs once: a run opens a span that the next run
 * closes (the shorter of the two sets the fence's width, as a regular expression's backtracking would).
 */
function codeSpans(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  let open = text.indexOf('`');
  while (open !== -1) {
    let openWidth = 0;
    while (text[open + openWidth] === '`') openWidth += 1;
    const close = text.indexOf('`', open + openWidth);
    if (close === -1) break;
    let closeWidth = 0;
    while (text[close + closeWidth] === '`') closeWidth += 1;
    const width = Math.min(openWidth, closeWidth);
    spans.push({ start: open + openWidth - width, end: close + width, content: text.slice(open + openWidth, close) });
    open = text.indexOf('`', close + width);
  }
  return spans;
}

/** A line's text with its code spans blanked out, so links and the like inside code are not read. */
function withoutCodeSpans(text: string): string {
  let out = '';
  let from = 0;
  for (const span of codeSpans(text)) {
    out += text.slice(from, span.start) + ' '.repeat(span.end - span.start);
    from = span.end;
  }
  return out + text.slice(from);
}

export interface Found {
  line: number;
  value: string;
}

/** Targets of inline links and images outside code: `[text](target)`, `![alt](target "title")`. */
export function linksOf(markdown: string): Found[] {
  const found: Found[] = [];
  for (const line of markdownLines(markdown)) {
    if (line.fenced) continue;
    for (const match of withoutCodeSpans(line.text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      found.push({ line: line.number, value: match[1] as string });
    }
  }
  return found;
}

/** The contents of every code span outside fenced blocks. */
export function codeSpansOf(markdown: string): Found[] {
  const found: Found[] = [];
  for (const line of markdownLines(markdown)) {
    if (line.fenced) continue;
    for (const span of codeSpans(line.text)) if (span.content !== '') found.push({ line: line.number, value: span.content.trim() });
  }
  return found;
}

/** A named `npm run` script, and the workspace it runs in when `-w`/`--workspace` names one. */
export interface NpmRun {
  line: number;
  script: string;
  workspace: string | undefined;
}

/** Every `npm run <script>` anywhere in the file, code blocks included (that is where commands are). */
export function npmRunsOf(markdown: string): NpmRun[] {
  const found: NpmRun[] = [];
  for (const line of markdownLines(markdown)) {
    for (const match of line.text.matchAll(/\bnpm run ([a-z][\w:.-]*)((?: +-[-\w=]+(?: +[\w@/.-]+)?)*)/g)) {
      const flags = match[2] ?? '';
      const workspace = /(?:^|\s)(?:-w|--workspace)(?:=|\s+)([\w@/.-]+)/.exec(flags)?.[1];
      found.push({ line: line.number, script: match[1] as string, workspace });
    }
  }
  return found;
}

/** Characters that make a code span a pattern or a placeholder (`bench/results/<time>.json`), not a path. */
const PLACEHOLDER = /[<>*…{}$]|\.\.\./;
/** Extensions of the repository's own files: a bare name ending in one of them must be a file at the root. */
const FILE_EXTENSIONS = /\.(ts|mts|mjs|js|cjs|json|md|py|sh|ejs|conf|lua)$/;

/**
 * The repository path a code span names, or undefined when it names none. A span names a path when it has no
 * whitespace and no placeholder, and either starts with one of the repository's top-level entries followed by
 * `/` (`src/config.ts`, `docs/`), or is a bare file name with one of the repository's own extensions
 * (`package.json`), which must then be at the root. Anything else (`dist/server.js`, `/etc/nginx/…`,
 * `file:/srv/db.sqlite3`) is not a repository path.
 */
export function repositoryPath(span: string, topLevel: ReadonlySet<string>): string | undefined {
  if (/\s/.test(span) || PLACEHOLDER.test(span)) return undefined;
  const slash = span.indexOf('/');
  if (slash > 0) return topLevel.has(span.slice(0, slash)) ? span : undefined;
  if (slash === -1 && FILE_EXTENSIONS.test(span)) return span;
  return undefined;
}
