import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Every temporary folder of a run (tests, the bot processes they start) goes under one folder, removed at the end:
 * `os.tmpdir()` follows TMPDIR, which the test processes inherit from here.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'djingo-run-'));
  // As open as /tmp itself: some tests run a probe as another user (`nobody`) inside their folders.
  chmodSync(root, 0o1777);
  process.env['TMPDIR'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
