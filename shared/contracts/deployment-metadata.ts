/**
 * The CloudFormation metadata key under which each Prescale Lambda function records the handler it
 * runs (`functions/<verb-noun>/handler.ts`), so checks on a synthesized template can tell which
 * deployed role a handler's requests are made with.
 */
export const HANDLER_ENTRY_METADATA = 'prescale:entry';
