import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { startInstances, USERS, type InstancesStack } from './harness.ts';
import { logInThroughDjango } from './lib/django-site.ts';
import { e2eSuite } from './lib/prerequisites.ts';

const INSTANCES = 3;
const [ALICE, BOB] = USERS.active;

interface Visitor {
  /** Django's sessionid, or none for an anonymous visitor. */
  cookie: string | undefined;
  /** Whom /elixir/api/me must name: Django's verdict for this browser. */
  username: string | null;
}

interface Sample {
  visitor: Visitor;
  requestId: string;
  status: number;
  username: string | null | undefined;
  error?: string;
}

let sequence = 0;

async function ask(site: string, visitor: Visitor): Promise<Sample> {
  const requestId = `instances-${(sequence += 1)}`;
  const headers: Record<string, string> = { 'X-Request-Id': requestId };
  if (visitor.cookie) headers.Cookie = `sessionid=${visitor.cookie}`;
  try {
    const res = await fetch(`${site}/elixir/api/me`, { headers, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const username = res.status === 200 ? ((JSON.parse(text) as { user: { username: string } | null }).user?.username ?? null) : undefined;
    return { visitor, requestId, status: res.status, username };
  } catch (error) {
    return { visitor, requestId, status: 0, username: undefined, error: String(error) };
  }
}

/** Which instance answered each request: the one whose log has its request id. */
function answeredBy(stack: InstancesStack, samples: Sample[]): Map<string, number> {
  const logs = stack.instances.map((instance) => readFileSync(instance.logFile, 'utf8'));
  const counts = new Map<string, number>(stack.instances.map((instance) => [instance.name, 0]));
  for (const sample of samples) {
    const index = logs.findIndex((log) => log.includes(`"requestId":"${sample.requestId}","method":"GET","path":"/elixir/api/me","status":200`));
    const name = stack.instances[index]?.name ?? 'none';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function assertRight(samples: Sample[]): void {
  for (const sample of samples) {
    assert.equal(sample.error, undefined, `${sample.requestId}: nginx always answers`);
    assert.equal(sample.status, 200, `${sample.requestId}: every GET answered by a live instance`);
    assert.equal(sample.username, sample.visitor.username, `${sample.requestId}: a wrong verdict`);
  }
}

e2eSuite('many stateless instances behind one nginx upstream (the shipped elixir.conf)', ['django', 'nginx'], () => {
  let stack: InstancesStack;
  let visitors: Visitor[];

  before(async () => {
    stack = await startInstances('instances', INSTANCES);
    visitors = [
      { cookie: await logInThroughDjango(stack.site, ALICE as string, stack.password), username: ALICE as string },
      { cookie: await logInThroughDjango(stack.site, BOB as string, stack.password), username: BOB as string },
      { cookie: undefined, username: null },
    ];
  });
  after(async () => {
    await stack?.stop();
  });

  it('round-robin: every instance answers its share, each with Django\'s verdict (no instance holds state)', async () => {
    const samples: Sample[] = [];
    for (let i = 0; i < INSTANCES * 10; i++) samples.push(await ask(stack.site, visitors[i % visitors.length] as Visitor));
    assertRight(samples);
    await sleep(200);
    const counts = answeredBy(stack, samples);
    assert.equal(counts.get('none') ?? 0, 0, 'every request is in one instance\'s log');
    for (const instance of stack.instances) assert.ok((counts.get(instance.name) ?? 0) >= 5, `${instance.name}: ${JSON.stringify([...counts])}`);
  });

  it('one instance killed mid-traffic: nginx retries its GETs on the others, no error, no wrong verdict', async () => {
    const samples: Sample[] = [];
    let running = true;
    const loops = visitors.flatMap((visitor) =>
      [0, 1].map(async () => {
        while (running) samples.push(await ask(stack.site, visitor));
      }),
    );
    await sleep(500);
    const killed = stack.instances[1];
    assert.ok(killed);
    process.kill(-killed.pid, 'SIGKILL');
    await killed.exited;
    const killedAt = samples.length;
    await sleep(1500);
    running = false;
    await Promise.all(loops);

    assert.ok(killedAt >= 10 && samples.length - killedAt >= 10, `traffic before (${killedAt}) and after (${samples.length - killedAt}) the kill`);
    assertRight(samples);
    await sleep(200);
    const after = answeredBy(stack, samples.slice(killedAt));
    assert.equal(after.get('none') ?? 0, 0);
    assert.equal(after.get(killed.name), 0, 'nothing after the kill came from the killed instance');
    const nginxLog = readFileSync(stack.errorLog, 'utf8');
    // Refused, reset, closed early or a broken pipe, depending on what the request was doing when it died.
    const gaveUp = new RegExp(`\\[error\\][^\\n]*upstream: "http://${stack.addresses[1]}/`);
    assert.match(nginxLog, gaveUp, 'nginx met the dead instance and moved on');
    console.log(`# ${samples.length} requests, ${samples.length - killedAt} after the kill, all 200 with the right user; answered after it: ${JSON.stringify([...after])}`);
  });
});
