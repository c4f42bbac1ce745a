package io.tribune.notify.push;

import io.dropwizard.lifecycle.Managed;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.NotificationEvents;
import io.tribune.notify.core.NotificationHandler;
import io.tribune.notify.reminders.Reminders;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes the worker's reports to the api-server on {@code tribune.notifications} (idempotent producer,
 * {@code acks=all}) and waits for the broker: {@code notification.push_subscription_expired}, so the consumer
 * commits the push's offset only once the api-server is sure to hear of it, and {@code notification.reminder_due},
 * so a reminder run completes only once it is reported. Thread-safe (KafkaProducer is).
 */
public final class KafkaReports implements NotificationHandler.PushExpiries, Reminders.DueReports, Managed {

    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;

    public KafkaReports(String bootstrapServers, Clock clock) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "notification-worker-reports"),
                new StringSerializer(), new ByteArraySerializer());
        this.clock = clock;
    }

    @Override
    public void expired(NotificationEvents.PushSubscriptionExpired expired) {
        publish(expired, "an expired push subscription");
    }

    @Override
    public void due(NotificationEvents.ReminderDue due) {
        publish(due, "a due reminder");
    }

    private void publish(io.tribune.events.EventData data, String what) {
        Event event = Event.of(data, clock.instant());
        try {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot report " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
