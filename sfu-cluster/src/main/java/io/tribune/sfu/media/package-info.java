/**
 * Pipeline nodes about RTP itself, with no room in them: reading header extensions (RFC 8285: mid, rid, audio
 * level) into the {@code PacketInfo}, and stripping them from forwarded packets.
 */
package io.tribune.sfu.media;
