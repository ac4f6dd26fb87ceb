import { lazyClients } from '../../shared/aws/aws-clients';
import { DynamoDbCampaignCalendar } from '../../shared/aws/dynamo-db-campaign-calendar';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { readPlanCalendarEventSchema } from '../../shared/contracts/plan-calendar';
import { readPlanCalendar } from '../../shared/usecases/read-plan-calendar';

const config = loadRuntimeConfig();
const observability = createObservability('read-plan-calendar');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  calendar: new DynamoDbCampaignCalendar(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  readPlanCalendarEventSchema,
  async (event) => {
    const calendar = await readPlanCalendar(deps, config.user, event);
    observability.logger.info('plan calendar read', {
      campaigns: calendar.campaigns.length,
      groups: calendar.groups.map((g) => ({ groupName: g.groupName, campaigns: g.campaignIndexes.length })),
    });
    return calendar;
  },
  observability,
);
