import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@aftersales/local';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of table) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the run command', () => {
  it('serves the product and leaves no Java process behind on Ctrl-C', async () => {
    // Prepare
    const port = await freePort();
    const child: ChildProcess = spawn(
      resolve(ROOT, 'node_modules/.bin/tsx'),
      ['packages/local/src/dev.ts', '--in-memory', '--small', '--port', String(port)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    try {
      // The small seed takes under a minute on a quiet machine; the suite's other files share its cores.
      const deadline = Date.now() + 150_000;
      while (!output.includes('Aftersales Cloud is running') && Date.now() < deadline) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output, output).toContain('Aftersales Cloud is running');
      const health = await fetch(`http://localhost:${port}/health`);
      const java = descendants(child.pid!).filter((pid) => {
        const cmd = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
        return cmd.includes('DynamoDBLocal');
      });
      // Act
      child.kill('SIGINT');
      const code = await exited;
      await new Promise((r) => setTimeout(r, 500));
      // Assess
      expect(health.status).toBe(200);
      expect(output).toContain('demo1234');
      expect(java.length).toBe(1);
      expect(code).toBe(0);
      expect(java.filter(alive)).toEqual([]);
    } finally {
      // A failed start must not leave the server (and its Java) running for the rest of the suite.
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
    }
  }, 200_000);
});
