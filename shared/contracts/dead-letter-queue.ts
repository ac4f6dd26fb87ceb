/**
 * The largest message Prescale's dead-letter queues take: SQS's maximum, 1 MiB. A rejected event
 * is up to EventBridge's 256 KB and its reason comes with it, which a queue at 256 KiB (the older
 * default of MaximumMessageSize) would refuse, losing both.
 */
export const DEAD_LETTER_MAX_MESSAGE_BYTES = 1_048_576;
