/** One replayed call as a CI test case. */
export interface TestCase {
  name: string;
  classname: string;
  durationMs: number;
  /** Empty when it passed. */
  failures: readonly string[];
}

/** A JUnit XML report (the schema Jenkins, GitHub and GitLab read): one suite, a testcase per call. */
export function junitReport(suite: string, cases: readonly TestCase[], durationMs: number, timestamp: Date): string {
  const failures = cases.filter((each) => each.failures.length > 0).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mcpctl replay" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds(durationMs)}">`,
    `  <testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(durationMs)}" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
  ];
  for (const each of cases) {
    const open = `    <testcase name="${escape(each.name)}" classname="${escape(each.classname)}" time="${seconds(each.durationMs)}"`;
    if (each.failures.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`, `      <failure message="${escape(each.failures[0]!)}" type="mismatch">${escape(each.failures.join('\n'))}</failure>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML, dropping the control characters XML 1.0 cannot carry at all. */
function escape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (char) => entities[char]!);
}
