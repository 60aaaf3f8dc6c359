/** The EvaluationSink port over AWS Config: PutEvaluations, at most 100 evaluations per call. */
import { PutEvaluationsCommand, type ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EvaluationSink } from '../app/ports.js';
import { batchEvaluations, type ConfigEvaluation } from '../core/aws-config/evaluations.js';

export class ConfigEvaluationSink implements EvaluationSink {
  constructor(private readonly configService: ConfigServiceClient) {}

  async putEvaluations(resultToken: string, evaluations: readonly ConfigEvaluation[]): Promise<void> {
    for (const batch of batchEvaluations(evaluations)) {
      await this.configService.send(new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: batch }));
    }
  }
}
