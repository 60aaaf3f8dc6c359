/** The S3 adapter of the deployed scan's HTML report: one PutObject, under reports/, as a web page. */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { LATEST_REPORT_KEY, REPORT_PREFIX, S3ReportStore } from '../functions/publishers/s3-report-store.js';

const scan = { scanId: 'req-1', generatedAt: new Date('2026-12-01T10:00:00Z') };

describe('S3ReportStore', () => {
  it('puts the page as reports/latest.html, encrypted, as HTML that browsers do not cache', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const location = await new S3ReportStore(new S3Client({ region: 'us-east-1' }), 'eksguard-reports').putLatest('<!doctype html><p>hi</p>', scan);
    expect(location).toBe('s3://eksguard-reports/reports/latest.html');
    expect(LATEST_REPORT_KEY.startsWith(REPORT_PREFIX)).toBe(true);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'eksguard-reports',
        Key: 'reports/latest.html',
        Body: '<!doctype html><p>hi</p>',
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'no-cache',
        ServerSideEncryption: 'AES256',
        Metadata: { 'scan-id': 'req-1', 'generated-at': '2026-12-01T10:00:00.000Z' },
      },
    ]);
    s3.restore();
  });

  it('says which object could not be written, and why', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(new S3ReportStore(new S3Client({ region: 'us-east-1' }), 'eksguard-reports').putLatest('x', scan)).rejects.toThrow(
      'could not write s3://eksguard-reports/reports/latest.html: AccessDenied: Access Denied',
    );
    s3.restore();
  });
});
