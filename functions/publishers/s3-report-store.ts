/**
 * The deployed scan's latest HTML report, in the stack's private report bucket
 * (infra/report-bucket.yml): one object, reports/latest.html, overwritten by every full scan;
 * the bucket's versioning keeps the earlier ones until its lifecycle rule expires them.
 */
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { ReportStore, ScanIdentity } from '../app/ports.js';

/** The one S3 action this adapter calls, granted on `${bucket}/${REPORT_PREFIX}*` only. */
export const REPORT_STORE_ACTIONS = ['s3:PutObject'] as const;
export const REPORT_PREFIX = 'reports/';
export const LATEST_REPORT_KEY = `${REPORT_PREFIX}latest.html`;

export class S3ReportStore implements ReportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async putLatest(html: string, scan: ScanIdentity): Promise<string> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: LATEST_REPORT_KEY,
          Body: html,
          ContentType: 'text/html; charset=utf-8',
          CacheControl: 'no-cache',
          ServerSideEncryption: 'AES256',
          Metadata: { 'scan-id': scan.scanId, 'generated-at': scan.generatedAt.toISOString() },
        }),
      );
    } catch (error) {
      const e = error as { name?: string; message?: string };
      throw new Error(`could not write s3://${this.bucket}/${LATEST_REPORT_KEY}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`);
    }
    return `s3://${this.bucket}/${LATEST_REPORT_KEY}`;
  }
}

export const createS3ReportStore = (config: S3ClientConfig, bucket: string): S3ReportStore => new S3ReportStore(new S3Client(config), bucket);
