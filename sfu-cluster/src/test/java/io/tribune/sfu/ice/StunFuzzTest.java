package io.tribune.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tribune.sfu.rtp.DatagramType;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;

/**
 * Fuzzes what the node's one UDP port does with a datagram from anyone: the RFC 7983 classification, then, for STUN,
 * ice4j's decoder and the USERNAME the port demultiplexes new addresses by. Any input
 * is classified; a STUN datagram either decodes or is refused with a {@link StunException}, nothing else escapes.
 * Without {@code JAZZER_FUZZ=1} this replays the seeds under {@code StunFuzzTestInputs}.
 */
class StunFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyDatagramIsClassifiedAndStunDecodesOrIsRefused(byte[] datagram) {
        DatagramType type = DatagramType.of(datagram, 0, datagram.length);
        assertThat(type).isNotNull();
        if (type != DatagramType.STUN) {
            return;
        }
        Message message;
        try {
            message = Message.decode(datagram, 0, datagram.length);
        } catch (StunException refused) {
            return;
        }
        assertThat(message).isNotNull();
        // What the port reads to route a new address: the USERNAME attribute, if any, must be readable.
        if (message.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute username) {
            assertThat(username.getUsername()).isNotNull();
        }
    }
}
