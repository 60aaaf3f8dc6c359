/**
 * Tests never reach real AWS: fake credentials, every SDK endpoint pointed at a closed loopback
 * port unless a test sets its own, and any socket to a non-loopback address fails loudly.
 */
import net from 'node:net';

Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'AKIDEKSGUARDTEST',
  AWS_SECRET_ACCESS_KEY: 'eksguard-test-secret',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  EKSGUARD_LOCAL_ONLY: '1',
  // The simulated account does not throttle unless a test says so: pacing has its own tests.
  EKSGUARD_RATE_LIMITS: 'eks=1000,ec2=1000,iam=1000,sts=1000,sns=1000,dynamodb=1000,config=1000',
});
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host = typeof first === 'object' && first !== null ? first.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isPipe = typeof first === 'object' && first !== null && first.path !== undefined;
  if (!isPipe && host !== undefined && !LOOPBACK.has(host) && !host.startsWith('127.')) {
    throw new Error(`test tried to open a connection to ${host}: tests must only talk to loopback endpoints`);
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
