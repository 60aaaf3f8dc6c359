/** Shared types between the HTTP server, the wire protocols and the service implementations. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Region, ServiceName, World } from '../world.js';

/** Request parameters as seen by logging and fault matching. */
export type Params = Record<string, unknown>;

export interface RawRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PublishedMessage {
  region: string;
  topicArn?: string;
  targetArn?: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  messageId: string;
}

export interface RecordedEvaluations {
  region: string;
  resultToken: string;
  testMode: boolean;
  /** As sent by the client (PascalCase members, OrderingTimestamp in epoch seconds). */
  evaluations: Record<string, unknown>[];
}

/** A finding as Security Hub holds it after BatchImportFindings (latest import, Workflow kept by the service). */
export interface StoredFinding {
  region: string;
  finding: Record<string, unknown>;
  workflowStatus: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  /** How many imports created or updated it. */
  imports: number;
}

/** What an operation handler sees. */
export interface OpContext {
  world: World;
  region: string;
  /** The region's resources (empty when the world does not mention the region). */
  regionData: Region;
  requestId: string;
  published: PublishedMessage[];
  evaluations: RecordedEvaluations[];
  /** Security Hub findings by "ProductArn|Id". */
  findings: Map<string, StoredFinding>;
}

/** An error answered to the client in the protocol's error format. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body (restJson / awsJson only). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A decoded request, ready to run. */
export interface Call {
  operation: string;
  params: Params;
  /** Runs the operation; throws ApiError for API-level failures. */
  execute(ctx: OpContext): Reply;
}

export interface Protocol {
  /** Never throws: unknown operations yield a Call whose execute() throws the protocol's error. */
  decode(req: RawRequest): Call;
  renderError(err: ApiError, requestId: string): Reply;
}

export type FaultKind = 'AccessDenied' | 'Throttling' | 'InternalError' | 'ServiceUnavailable';

export interface ServiceDefinition {
  name: ServiceName;
  protocol: Protocol;
  /** The service's real error for each generic fault kind. */
  faults: Record<FaultKind, { code: string; status: number; message: string }>;
}
