import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { XRayDependencyDiscovery } from '../../../../shared/aws/x-ray-dependency-discovery';
import { HOUR, START, sideServicesWorld } from '../../../helpers/side-services-world';

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated X-Ray', () => {
  it('draws the service graph from the traced services calls, with the callee request counts', async () => {
    const { world, clients } = sideServicesWorld();
    world.services.xray.addService('web-frontend', 'web');
    world.services.xray.addService('api-backend', 'api');
    world.services.xray.addCall('web-frontend', 'api-backend');
    world.services.xray.addService('batch', 'api');
    const discovery = new XRayDependencyDiscovery(clients.xray, {
      serviceToGroup: { 'web-frontend': 'web', 'api-backend': 'api' },
    });
    const found = await discovery.discoverDependencies({ startMs: START - HOUR, endMs: START });
    // api served 80 load units × 10 requests per unit each minute for the hour.
    expect(found).toEqual({
      edges: [{ from: 'web', to: 'api', requestCount: 80 * 10 * 60 }],
      unmappedServices: ['batch'],
    });
  });

  it('refuses a window longer than six hours', async () => {
    const { world } = sideServicesWorld();
    await expect(
      world.answer('xray', 'GetServiceGraphCommand', {
        StartTime: new Date(START - 7 * HOUR),
        EndTime: new Date(START),
      }),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });
});
