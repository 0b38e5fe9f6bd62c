import type { ToolOutput } from '../../src/diagnostics/tool-config.ts';

export interface CapturedOutput extends ToolOutput {
  out(): string;
  err(): string;
}

/** Collects what a tool's main() writes, for tests that call it in-process. */
export function captureOutput(): CapturedOutput {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}
