package io.tribune.sfu.egress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a room's egress sends, for the transcoder: one entry per stage track (which participant, camera, screen
 * or microphone), with everything GStreamer's {@code udpsrc} caps need, and the room's dominant speaker. Also
 * written as an SDP (RFC 8866) with one media section per stream, which {@code ffmpeg -i egress.sdp} or
 * {@code sdpdemux} read as well. Immutable.
 *
 * @param room the room (meeting) id
 * @param host the transcoder address the streams go to
 * @param activeSpeaker the dominant speaker's participant id, or null before anyone spoke
 * @param streams the streams, by slot
 * @param version grows with every change, so a reader can drop stale copies
 */
public record EgressDescription(String room, String host, String activeSpeaker, List<Stream> streams,
                                long version) {

    public EgressDescription {
        streams = List.copyOf(streams);
    }

    /**
     * One forwarded track. SSRC and payload type stay the same for as long as the track is published, across
     * the publisher's simulcast layers and encoder restarts (sequence numbers and timestamps continue).
     *
     * @param participantId who publishes it
     * @param trackId the SFU's track id
     * @param source {@code camera}, {@code screen} or {@code microphone}
     * @param media {@code video} or {@code audio}
     * @param encodingName {@code VP8}, {@code H264} or {@code OPUS} (GStreamer's spelling)
     * @param clockRate RTP clock rate in Hz
     * @param channels audio channels (2 for Opus, RFC 7587), 0 for video
     * @param payloadType the RTP payload type
     * @param ssrc unsigned
     * @param port the UDP port it goes to
     * @param fmtp the publisher's format parameters (H.264: packetization-mode, profile-level-id), or null
     */
    public record Stream(String participantId, String trackId, String source, String media, String encodingName,
                         int clockRate, int channels, int payloadType, long ssrc, int port, String fmtp) {

        /** GStreamer caps for {@code udpsrc caps=...} in front of {@code rtpjitterbuffer} and the depayloader. */
        public String caps() {
            StringBuilder caps = new StringBuilder("application/x-rtp,media=").append(media)
                    .append(",encoding-name=").append(encodingName)
                    .append(",clock-rate=").append(clockRate)
                    .append(",payload=").append(payloadType)
                    .append(",ssrc=(uint)").append(ssrc);
            if (encodingName.equals("H264")) {
                caps.append(",packetization-mode=(string)1");
            }
            return caps.toString();
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("participant_id", participantId);
            map.put("track_id", trackId);
            map.put("source", source);
            map.put("media", media);
            map.put("encoding_name", encodingName);
            map.put("clock_rate", clockRate);
            if (channels > 0) {
                map.put("channels", channels);
            }
            map.put("payload_type", payloadType);
            map.put("ssrc", ssrc);
            map.put("port", port);
            if (fmtp != null) {
                map.put("fmtp", fmtp);
            }
            map.put("caps", caps());
            return map;
        }
    }

    /** The JSON form (the Redis key's value, docs/sfu-signaling.md): snake_case fields, the SDP included. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("room", room);
        map.put("host", host);
        map.put("active_speaker", activeSpeaker);
        map.put("version", version);
        List<Map<String, Object>> list = new ArrayList<>();
        streams.forEach(s -> list.add(s.toMap()));
        map.put("streams", list);
        map.put("sdp", toSdp());
        return map;
    }

    /** An SDP with one receive-only media section per stream, each with its rtpmap, fmtp, ssrc and label. */
    public String toSdp() {
        StringBuilder sdp = new StringBuilder();
        String family = host.contains(":") ? "IP6" : "IP4";
        sdp.append("v=0\r\n")
                .append("o=- ").append(version).append(' ').append(version).append(" IN ").append(family)
                .append(' ').append(host).append("\r\n")
                .append("s=tribune stage ").append(room).append("\r\n")
                .append("c=IN ").append(family).append(' ').append(host).append("\r\n")
                .append("t=0 0\r\n");
        for (Stream s : streams) {
            sdp.append("m=").append(s.media()).append(' ').append(s.port()).append(" RTP/AVP ")
                    .append(s.payloadType()).append("\r\n");
            sdp.append("a=rtpmap:").append(s.payloadType()).append(' ')
                    .append(s.encodingName().equals("OPUS") ? "opus" : s.encodingName()).append('/')
                    .append(s.clockRate()).append(s.channels() > 0 ? "/" + s.channels() : "").append("\r\n");
            if (s.fmtp() != null) {
                sdp.append("a=fmtp:").append(s.payloadType()).append(' ').append(s.fmtp()).append("\r\n");
            }
            sdp.append("a=ssrc:").append(s.ssrc()).append(" cname:").append(s.participantId()).append("\r\n");
            sdp.append("a=label:").append(s.source().toLowerCase(Locale.ROOT)).append(':')
                    .append(s.participantId()).append("\r\n");
            sdp.append("a=recvonly\r\n");
        }
        return sdp.toString();
    }
}
