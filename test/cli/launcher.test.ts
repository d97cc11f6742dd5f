import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { NODE_FLAGS } from '../../src/cli/node-flags';

/** The repository root, from the compiled test in dist/test/cli. */
const ROOT = join(__dirname, '..', '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'nissa.js');

describe('nissa launcher (bin/nissa.js)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-launcher-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the launcher as `npm start` does, with a preload that prints the options Node got. */
  async function launchedNodeOptions(via: string[]): Promise<string[]> {
    const preload = join(dir, 'print-exec-argv.js');
    writeFileSync(preload, "process.stderr.write('EXEC_ARGV ' + JSON.stringify(process.execArgv) + '\\n');");
    const { stderr } = await promisify(execFile)(via[0]!, [...via.slice(1), 'validate', '--config', join(ROOT, 'pipelines.yaml')], {
      // The launcher runs the `node` on PATH: this one, first.
      env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, NODE_OPTIONS: `--require ${JSON.stringify(preload)}` },
    });
    const line = stderr.split('\n').find((l) => l.startsWith('EXEC_ARGV '));
    assert.ok(line, `no EXEC_ARGV line in ${stderr}`);
    return JSON.parse(line.slice('EXEC_ARGV '.length)) as string[];
  }

  it('starts Node with the V8 options of src/cli/node-flags.ts, run through sh or as an executable', async () => {
    assert.deepEqual(await launchedNodeOptions(['sh', LAUNCHER]), [...NODE_FLAGS]);
    assert.deepEqual(await launchedNodeOptions([LAUNCHER]), [...NODE_FLAGS]);
  });

  it('still runs when Node is given the file itself (without the options)', async () => {
    assert.deepEqual(await launchedNodeOptions([process.execPath, LAUNCHER]), []);
  });

  it('is what npm start runs, and npm run bench gives its in-process relays the same options', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['start']!, /^sh bin\/nissa\.js run /);
    for (const flag of NODE_FLAGS) assert.ok(scripts['bench']!.includes(` ${flag} `), `bench script lacks ${flag}`);
  });
});
