/**
 * CloudFront-style signed URLs and cookies. The api-server gives town-hall attendees cookies made with {@link
 * io.tribune.common.cdn.CloudFrontSigner} (a custom policy with a wildcard over the event's path); CloudFront checks
 * them in production, and the HLS origin checks the very same signatures with {@link
 * io.tribune.common.cdn.CloudFrontVerifier} when no CDN is in front.
 */
package io.tribune.common.cdn;
