/**
 * RTP and RTCP packets: zero-copy views, decoding and encoding.
 *
 * <pre>
 *  datagram on the shared port
 *        |
 *  DatagramType.of (RFC 7983)  -- STUN -> ICE, DTLS -> DTLS transport
 *        |
 *        +-- RTP  -> RtpPacket.parse (view; HeaderExtensionCursor for RFC 8285 elements)
 *        +-- RTCP -> RtcpCompoundReader (walk in place) -> decode -> SenderReport, ReceiverReport, Bye,
 *                    GenericNack, PictureLossIndication, FullIntraRequest, Remb, TransportCcFeedback,
 *                    UnparsedRtcp (SDES, APP, XR, other feedback)
 * </pre>
 *
 * <p>Parsers never throw on network input: they report a {@link io.tribune.sfu.rtp.Malformation} that the caller
 * counts. Views ({@code RtpPacket}, {@code RtcpCompoundReader}, {@code HeaderExtensionCursor}) are not
 * thread-safe and belong to the thread that owns the buffer; decoded RTCP values are immutable.
 */
package io.tribune.sfu.rtp;
