/**
 * A local AWS account for `serverless invoke local` and manual runs: the simulated account
 * (the demo world: EKS, EC2, IAM, STS, SNS, Config) and a DynamoDB-compatible server (dynalite)
 * holding the state table, both on 127.0.0.1.
 *
 *   npm run local:account          # prints the environment to use, then serves until Ctrl-C
 *   npm run local:account -- scan test/events/scheduled.json
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadDemoWorld, simulatorEnv } from '../demo/run-demo.js';
import { startSimulator } from '../simulator/server.js';
import { startDynalite } from '../support/dynalite.js';

export const LOCAL_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:eksguard-alerts';

export async function startLocalAccount() {
  const simulator = await startSimulator({ world: await loadDemoWorld() });
  const dynamo = await startDynalite();
  const table = await dynamo.createStateTable();
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: simulator.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDEKSGUARDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'eksguard-local-secret',
    AWS_REGION: 'us-east-1',
    EKSGUARD_REGIONS: 'us-east-1',
    EKSGUARD_STATE_TABLE: table,
    EKSGUARD_TOPIC_ARN: LOCAL_TOPIC_ARN,
    EKSGUARD_LOCAL_ONLY: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return {
    simulator,
    dynamo,
    env,
    close: async () => {
      await simulator.close();
      await dynamo.close();
    },
  };
}

async function main(): Promise<void> {
  const account = await startLocalAccount();
  const [fn, eventFile, ...rest] = process.argv.slice(2);
  if (!fn) {
    process.stdout.write(
      `${Object.entries(account.env)
        .map(([k, v]) => `export ${k}=${v}`)
        .join('\n')}\n`,
    );
    process.stderr.write('Local account running (Ctrl-C to stop). Use the environment above, e.g. with serverless invoke local --env.\n');
    return;
  }
  // invoke local pretends the code is in /var/task; the policy files are in the checkout.
  const env = { ...account.env, LAMBDA_TASK_ROOT: fileURLToPath(new URL('../..', import.meta.url)) };
  const args = [
    'invoke',
    'local',
    '--stage',
    'local',
    '--function',
    fn,
    ...(eventFile ? ['--path', eventFile] : []),
    ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...rest,
  ];
  const serverless = fileURLToPath(new URL('../../node_modules/.bin/serverless', import.meta.url));
  const code = await new Promise<number>((resolve) => {
    const child = spawn(serverless, args, {
      stdio: 'inherit',
      env: { ...simulatorEnv(account.simulator.url), ...account.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    });
    child.on('close', (c) => resolve(c ?? 1));
  });
  const published = account.simulator.published.length;
  const evaluations = account.simulator.evaluations.flatMap((e) => e.evaluations).length;
  process.stderr.write(`\nlocal account: ${published} SNS message(s) published, ${evaluations} Config evaluation(s) put\n`);
  await account.close();
  process.exitCode = code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
