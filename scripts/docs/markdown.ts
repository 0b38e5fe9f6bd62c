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
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*/g, '')
    .trim();
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
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A line's text with its code spans blanked out, so links and the like inside code are not read. */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
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
    for (const match of line.text.matchAll(/(`+)([^`]+?)\1/g)) found.push({ line: line.number, value: (match[2] as string).trim() });
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
