/**
 * The Dropwizard side of the node: the public JWKS the join tokens are checked against, the health check, and the
 * Prometheus export of the pipeline counters.
 */
package io.tribune.sfu.app;
