// DynamoDB Local is AWS's own Java program: fail in one clear line before anything starts.
import { spawnSync } from 'node:child_process';

const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
const banner = `${probe.stderr ?? ''}${probe.stdout ?? ''}`;
const major = Number(/version "(\d+)/.exec(banner)?.[1] ?? 0);
if (probe.error || major < 17) {
  console.error(
    'Java 17+ is required for DynamoDB Local; install it with: sudo apt-get install -y openjdk-17-jre-headless (macOS: brew install openjdk@17)',
  );
  process.exit(1);
}
