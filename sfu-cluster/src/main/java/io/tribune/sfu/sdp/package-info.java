/**
 * SDP (RFC 8866) for WebRTC offer/answer (RFC 8829): {@link io.tribune.sfu.sdp.SessionDescription} parses and
 * prints SDP line for line; {@link io.tribune.sfu.sdp.WebRtcOffer} reads a browser's Unified Plan offer (BUNDLE,
 * rtcp-mux, ICE, DTLS fingerprint, codecs, SSRCs); {@link io.tribune.sfu.sdp.AnswerBuilder} writes the SFU's
 * answer. Parsing never throws anything but {@link io.tribune.sfu.sdp.SdpParseException} on bad input.
 */
package io.tribune.sfu.sdp;
