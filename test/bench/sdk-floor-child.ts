/**
 * The floor of a scan made with the AWS SDK on this machine: the same number of calls as the
 * scan's minimum, made with bare SDK clients (default configuration, no limiter, no retry
 * settings, no evaluation), BENCH_CONCURRENCY at a time, in dependency chains of
 * BENCH_CHAIN calls. Each chain is DescribeCluster, then DescribeNodegroup calls, of the
 * simulated world's clusters, so requests and responses are the scan's own. Bundled and started
 * like the scan child. Prints one JSON line: wall and CPU.
 */
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';

async function main(): Promise<void> {
  const env = process.env;
  const calls = Number(env.BENCH_CALLS);
  const chain = Number(env.BENCH_CHAIN ?? 2);
  const concurrency = Number(env.BENCH_CONCURRENCY ?? 32);
  // cluster:nodegroup pairs of the world.
  const targets = String(env.BENCH_TARGETS ?? '')
    .split(',')
    .map((pair) => pair.split(':') as [string, string]);
  const eks = new EKSClient({ region: env.AWS_REGION });
  const chains = Math.ceil(calls / chain);
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (next < chains) {
      const [name, nodegroup] = targets[next++ % targets.length]!;
      await eks.send(new DescribeClusterCommand({ name }));
      made++;
      for (let i = 1; i < chain && made < calls; i++, made++) await eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: nodegroup }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(`${JSON.stringify({ calls: made, wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
