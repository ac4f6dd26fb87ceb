import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, AttributeValue>;

const items = (list: Item[] | undefined) => list?.map((i) => unmarshall(i));

/**
 * The document client's view of an output: what `@aws-sdk/lib-dynamodb` unmarshalls after its
 * deserializer, which the simulated transport (short-circuiting the deserialize step) skips.
 */
function asDocumentOutput(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  if (o.Item) out.Item = unmarshall(o.Item as Item);
  if (o.Attributes) out.Attributes = unmarshall(o.Attributes as Item);
  if (o.Items) out.Items = items(o.Items as Item[]);
  if (o.LastEvaluatedKey) out.LastEvaluatedKey = unmarshall(o.LastEvaluatedKey as Item);
  if (o.Responses)
    out.Responses = Object.fromEntries(
      Object.entries(o.Responses as Record<string, Item[]>).map(([t, l]) => [t, items(l)]),
    );
  if (o.UnprocessedKeys)
    out.UnprocessedKeys = Object.fromEntries(
      Object.entries(o.UnprocessedKeys as Record<string, { Keys: Item[] }>).map(([t, k]) => [
        t,
        { ...k, Keys: items(k.Keys) },
      ]),
    );
  if (o.UnprocessedItems)
    out.UnprocessedItems = Object.fromEntries(
      Object.entries(
        o.UnprocessedItems as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      ).map(([t, requests]) => [
        t,
        requests.map((r) =>
          r.PutRequest
            ? { PutRequest: { Item: unmarshall(r.PutRequest.Item) } }
            : { DeleteRequest: { Key: unmarshall(r.DeleteRequest?.Key ?? {}) } },
        ),
      ]),
    );
  return out;
}

/**
 * Sends a low-level DynamoDB command, as the simulated transport received it from Prescale's
 * document client (input marshalled), to a local DynamoDB (dynalite), and returns the output as the
 * document client expects it (unmarshalled). Errors are dynalite's, as the SDK raises them.
 */
export async function forwardToDynalite(
  client: DynamoDBClient,
  commandName: string,
  input: unknown,
): Promise<unknown> {
  const commands = require('@aws-sdk/client-dynamodb') as Record<string, new (input: unknown) => unknown>;
  const Command = commands[commandName];
  if (!Command) throw new Error(`@aws-sdk/client-dynamodb has no ${commandName}`);
  // biome-ignore lint/suspicious/noExplicitAny: one generic send for every DynamoDB command.
  const output = (await client.send(new Command(input) as any)) as unknown as Record<string, unknown>;
  const { $metadata: _metadata, ...rest } = output;
  return asDocumentOutput(rest);
}
