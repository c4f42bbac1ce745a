/**
 * ICE (RFC 8445) through ice4j on one shared UDP port per node.
 *
 * <pre>
 *  IceUdpPort (one per node): SinglePortUdpHarvester per host address, push API
 *     |  demultiplexes new remote addresses by the ufrag of their first Binding Request
 *     v
 *  IceTransport (one per endpoint): controlled ice4j Agent, one BUNDLE component
 *     |-- IceListener: onWritable (pair validated: start DTLS), onConnected, onFailed, onConsentExpired
 *     |-- DatagramHandler: every non-STUN datagram, on the port's receive thread (never block)
 *     '-- send(): on the selected pair
 * </pre>
 *
 * <p>Consent freshness (RFC 7675): ice4j sends consent checks on the selected pair; an endpoint whose last
 * answered check is older than {@link io.tribune.sfu.ice.IceConfig#consentTimeout()} is reported expired.
 * ICE restart replaces the agent and its credentials; DTLS and SRTP state above it survive.
 */
package io.tribune.sfu.ice;
