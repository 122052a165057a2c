import { ORIGIN_VERIFY_HEADER } from '@aftersales/api';

/**
 * The origin secret of the local stack (`ORIGIN_SECRET`, unless set): in AWS CloudFront adds the
 * deployment's secret to every request it forwards; locally nothing stands in front of the API, so
 * whoever plays the edge (a test's phone with its own address) sends this one.
 */
export const LOCAL_ORIGIN_SECRET = 'local-edge-origin-secret';

/** The headers CloudFront adds for a viewer at `address`: its address, and the proof it came through the edge. */
export function viewerHeaders(address: string, port = 50123): Record<string, string> {
  return {
    'cloudfront-viewer-address': `${address}:${port}`,
    [ORIGIN_VERIFY_HEADER]: process.env.ORIGIN_SECRET ?? LOCAL_ORIGIN_SECRET,
  };
}
