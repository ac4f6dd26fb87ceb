/** A price catalogue of one type (m7g.large at $0.08 an hour in eu-west-1): what the update-plan tests price with. */
export const ONE_PRICE = {
  onDemandPrices: async () => ({
    region: 'eu-west-1',
    operatingSystem: 'Linux' as const,
    hourlyPriceUsdByType: { 'm7g.large': 0.08 },
    skippedEntries: 0,
  }),
};
