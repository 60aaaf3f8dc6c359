/** Amazon SNS (awsQuery): Publish is validated like SNS does and recorded. */
import { randomUUID } from 'node:crypto';
import { ApiError, type PublishedMessage, type ServiceDefinition } from '../protocols/protocol.js';
import { queryProtocol } from '../protocols/query.js';

const MAX_MESSAGE_BYTES = 256 * 1024;

const invalid = (detail: string) => new ApiError('InvalidParameter', `Invalid parameter: ${detail}`);

function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as Record<string, unknown>).default !== 'string') {
    throw invalid('Message Structure - No default entry in JSON message body');
  }
}

export const sns: ServiceDefinition = {
  name: 'sns',
  protocol: queryProtocol({
    flavor: 'awsQuery',
    xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
    version: '2010-03-31',
    operations: {
      Publish(p, ctx) {
        const topicArn = p.get('TopicArn');
        const targetArn = p.get('TargetArn');
        const arn = topicArn ?? targetArn;
        if (arn === undefined && p.get('PhoneNumber') === undefined) {
          throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
        }
        if (arn !== undefined && !arn.startsWith(`arn:aws:sns:${ctx.region}:`)) {
          throw invalid(topicArn !== undefined ? 'TopicArn' : 'TargetArn');
        }
        const message = p.get('Message') ?? '';
        if (message === '') throw invalid('Empty message');
        if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalid('Message too long');
        const subject = p.get('Subject');
        if (subject !== undefined && (subject.length > 100 || /[\r\n]/.test(subject))) throw invalid('Subject');
        const messageStructure = p.get('MessageStructure');
        if (messageStructure === 'json') checkJsonStructure(message);
        const attributes: PublishedMessage['messageAttributes'] = {};
        for (const [name, value] of p.mapEntries('MessageAttributes', 'Name', 'Value')) {
          if (!value.DataType) {
            throw invalid(`The message attribute '${name}' must contain non-empty message attribute type.`);
          }
          attributes[name] = { ...value, DataType: value.DataType };
        }
        const messageId = randomUUID();
        ctx.published.push({
          region: ctx.region,
          topicArn,
          targetArn,
          subject,
          message,
          messageStructure,
          messageAttributes: attributes,
          messageId,
        });
        return { MessageId: messageId };
      },
    },
  }),
  faults: {
    AccessDenied: { code: 'AuthorizationError', status: 403, message: 'User is not authorized to perform SNS:Publish' },
    Throttling: { code: 'Throttled', status: 429, message: 'Rate exceeded' },
    InternalError: { code: 'InternalError', status: 500, message: 'Internal error' },
    ServiceUnavailable: { code: 'ServiceUnavailable', status: 503, message: 'Service unavailable' },
  },
};
