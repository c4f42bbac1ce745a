package io.tribune.platform.internal;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-process Kafka broker from ending the JVM: on a fatal error the broker calls {@link Exit#exit} or
 * {@link Exit#halt}, which would take `tribune up` or a whole test run down with it. Once installed, both log the
 * request and throw instead, which ends only the Kafka thread that asked.
 *
 * <p>Thread-safe; installing twice is harmless. It changes JVM-wide state of Kafka's {@code Exit} class.
 */
public final class KafkaExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);
    private static volatile boolean installed;

    private KafkaExitGuard() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        installed = true;
    }

    private static void refuse(String kind, int status, String message) {
        LOG.error("embedded Kafka asked the JVM to {} with status {} ({}); refused, the broker must be restarted",
                kind, status, message);
        throw new IllegalStateException("embedded Kafka requested JVM " + kind + " (" + status + "): " + message);
    }
}
