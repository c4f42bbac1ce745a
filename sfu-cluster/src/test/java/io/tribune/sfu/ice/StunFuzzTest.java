package io.tribune.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tribune.sfu.rtp.DatagramType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.ice4j.StunException;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.message.Message;

/**
 * Fuzzes what the node's one UDP port does with a datagram from anyone, in the order it happens:
 * <ol>
 *   <li>the RFC 7983 classification ({@link DatagramType});</li>
 *   <li>for a datagram from an address no endpoint owns yet, ice4j's harvester reads the ufrag out of a STUN
 *       Binding Request on the port's only receive thread ({@code AbstractUdpListener.getUfrag}): it must answer a
 *       ufrag or null, never throw, or the thread and with it the node's media would stop;</li>
 *   <li>ice4j's STUN decoder, which runs inside a task that catches every {@link Throwable}: it decodes, or refuses
 *       with a {@link StunException}, or (as this fuzzer found: a USERNAME whose length runs past the end throws
 *       ArrayIndexOutOfBoundsException in ice4j 3.2) with a {@link RuntimeException} that task logs and drops. An
 *       {@link Error} would escape.</li>
 * </ol>
 * Without {@code JAZZER_FUZZ=1} this replays the seeds under {@code StunFuzzTestInputs}.
 */
class StunFuzzTest {

    private static final MethodHandle GET_UFRAG = ufragReader();

    private static MethodHandle ufragReader() {
        try {
            Method method = AbstractUdpListener.class.getDeclaredMethod("getUfrag", byte[].class, int.class,
                    int.class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(String.class, byte[].class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ice4j's AbstractUdpListener.getUfrag moved: update this fuzz test", e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyDatagramIsClassifiedAndStunDecodesOrIsRefused(byte[] datagram) throws Throwable {
        DatagramType type = DatagramType.of(datagram, 0, datagram.length);
        assertThat(type).isNotNull();
        if (type != DatagramType.STUN) {
            return;
        }
        String ufrag = (String) GET_UFRAG.invokeExact(datagram, 0, datagram.length);
        assertThat(ufrag == null || ufrag.length() <= datagram.length).isTrue();
        try {
            assertThat(Message.decode(datagram, 0, datagram.length)).isNotNull();
        } catch (StunException | RuntimeException refused) {
            // Dropped by ice4j's MessageProcessingTask (it catches Throwable around the decode).
        }
    }
}
