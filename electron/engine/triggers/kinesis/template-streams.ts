import type { ProjectModel } from '../../contract.ts';
import { TemplateError } from '../../errors.ts';
import { readResourcesOfType } from '../../project/template-resources.ts';
import { newStreamDefinition, type StreamDefinition } from './kinesis-store.ts';

export interface TemplateStream {
  logicalId: string;
  definition?: StreamDefinition;
  error?: TemplateError;
}

/** The `AWS::Kinesis::Stream` resources of template.yaml, as CreateStream would make them. */
export async function readTemplateStreams(model: ProjectModel, identity: { region: string; accountId: string }, now: number): Promise<TemplateStream[]> {
  const views = await readResourcesOfType(model, identity, ['AWS::Kinesis::Stream']);
  return views.map((view) => {
    const p = view.properties;
    const field = (name: string) => ({ ...view.location, field: `Resources.${view.logicalId}.Properties.${name}` });
    const onDemand = (p.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode === 'ON_DEMAND';
    const shardCount = p.ShardCount === undefined ? (onDemand ? 4 : 1) : Number(p.ShardCount);
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 500) {
      return { logicalId: view.logicalId, error: new TemplateError(field('ShardCount'), `ShardCount must be a whole number from 1 to 500, not ${JSON.stringify(p.ShardCount)}.`, 'Set ShardCount: 1 (or more shards for more parallel consumers).') };
    }
    const retention = p.RetentionPeriodHours === undefined ? 24 : Number(p.RetentionPeriodHours);
    if (!Number.isInteger(retention) || retention < 24 || retention > 8760) {
      return { logicalId: view.logicalId, error: new TemplateError(field('RetentionPeriodHours'), `RetentionPeriodHours must be from 24 to 8760, not ${JSON.stringify(p.RetentionPeriodHours)}.`, 'Leave RetentionPeriodHours out for the default of 24 hours.') };
    }
    return { logicalId: view.logicalId, definition: newStreamDefinition(view.ref, shardCount, now, { retentionHours: retention, mode: onDemand ? 'ON_DEMAND' : 'PROVISIONED', logicalId: view.logicalId }) };
  });
}
