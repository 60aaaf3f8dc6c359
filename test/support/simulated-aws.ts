/**
 * The simulated account as the SDK's default endpoint for one test file, optionally with a local
 * DynamoDB (dynalite). `close()` stops both and puts the previous endpoint back.
 */
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { WorldInput } from '../simulator/world.js';
import { startDynalite, type LocalDynamo } from './dynalite.js';

export interface SimulatedAws {
  simulator: Simulator;
  dynamo: LocalDynamo;
  close(): Promise<void>;
}

export async function startSimulatedAws(world: WorldInput): Promise<SimulatedAws> {
  const simulator = await startSimulator({ world });
  const dynamo = await startDynalite();
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = simulator.url;
  return {
    simulator,
    dynamo,
    async close() {
      process.env.AWS_ENDPOINT_URL = previousEndpoint;
      await simulator.close();
      await dynamo.close();
    },
  };
}
