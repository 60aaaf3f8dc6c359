/**
 * awsQuery (IAM, STS, SNS) and ec2Query (EC2): form-encoded `Action=...&Version=...`
 * requests, XML responses.
 *
 * awsQuery: <XResponse><XResult>...</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>,
 *           lists as <member>, errors as <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
 * ec2Query: <XResponse><requestId/>...</XResponse>, lists as <item>,
 *           errors as <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>.
 */
import { ApiError, type Call, type OpContext, type Protocol, type RawRequest, type Reply } from './protocol.js';
import { QueryParams } from './query-params.js';
import { renderChildren, renderElement, type XmlObject } from '../xml.js';

export type QueryOperation = (params: QueryParams, ctx: OpContext) => XmlObject;

export interface QueryProtocolOptions {
  flavor: 'awsQuery' | 'ec2';
  xmlns: string;
  version: string;
  operations: Record<string, QueryOperation>;
}

function xml(status: number, body: string, requestId: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

export function queryProtocol(opts: QueryProtocolOptions): Protocol {
  const itemName = opts.flavor === 'ec2' ? 'item' : 'member';

  function success(operation: string, result: XmlObject, requestId: string): Reply {
    const inner =
      opts.flavor === 'ec2'
        ? renderElement('requestId', requestId, itemName) + renderChildren(result, itemName)
        : renderElement(`${operation}Result`, result, itemName) + renderElement('ResponseMetadata', { RequestId: requestId }, itemName);
    return xml(200, `<${operation}Response xmlns="${opts.xmlns}">${inner}</${operation}Response>`, requestId);
  }

  return {
    decode(req: RawRequest): Call {
      const form = new URLSearchParams(req.body);
      const action = form.get('Action') ?? '';
      const values: Record<string, string> = {};
      for (const [k, v] of form) if (k !== 'Action' && k !== 'Version') values[k] = v;
      const handler = Object.hasOwn(opts.operations, action) ? opts.operations[action] : undefined;
      return {
        operation: action || '(missing Action)',
        params: values,
        execute(ctx) {
          if (!action) throw new ApiError('MissingAction', 'The request must contain the parameter Action.');
          if (!handler) {
            throw new ApiError(
              'InvalidAction',
              opts.flavor === 'ec2' ? `The action ${action} is not valid for this web service.` : `Could not find operation ${action} for version ${opts.version}`,
            );
          }
          return success(action, handler(new QueryParams(values), ctx), ctx.requestId);
        },
      };
    },
    renderError(err: ApiError, requestId: string): Reply {
      const error = { Code: err.code, Message: err.message };
      const body =
        opts.flavor === 'ec2'
          ? renderElement('Response', { Errors: { Error: error }, RequestID: requestId }, itemName)
          : `<ErrorResponse xmlns="${opts.xmlns}">` +
            renderElement('Error', { Type: err.status >= 500 ? 'Receiver' : 'Sender', ...error }, itemName) +
            renderElement('RequestId', requestId, itemName) +
            '</ErrorResponse>';
      return xml(err.status, body, requestId);
    },
  };
}
