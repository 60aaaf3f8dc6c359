/** The Collector port over the AWS SDK: STS names the caller's account, EKS/EC2/IAM are read per region. */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Collector, CollectRequest, RegionCollection } from '../app/ports.js';
import type { RegionClients } from './aws-clients.js';
import { collectRegion } from './collect-region.js';
import { describeError } from './lookup.js';
import { TimeBudget } from './time-budget.js';

export class AwsCollector implements Collector {
  constructor(
    private readonly clientsFor: (region: string) => RegionClients,
    private readonly sts: STSClient,
    /** The budget the clients were built with: a request's deadline moves it. */
    private readonly budget: TimeBudget = new TimeBudget(),
  ) {}

  async callerAccount(): Promise<string> {
    try {
      return (await this.sts.send(new GetCallerIdentityCommand({}))).Account ?? 'unknown';
    } catch (error) {
      throw new Error(describeError(error, 'sts:GetCallerIdentity'));
    }
  }

  collectRegion(region: string, request: CollectRequest): Promise<RegionCollection> {
    if (request.deadline) this.budget.until(request.deadline.getTime());
    return collectRegion(this.clientsFor(region), { ...request, budget: this.budget });
  }
}
