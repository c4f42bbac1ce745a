package io.tribune.events;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer and deserializer for {@link Event}, via {@link EventCodec}. Thread-safe. */
public final class EventSerde implements Serde<Event> {

    @Override
    public Serializer<Event> serializer() {
        return new EventSerializer();
    }

    @Override
    public Deserializer<Event> deserializer() {
        return new EventDeserializer();
    }

    /** Configure a producer with {@code value.serializer=io.tribune.events.EventSerde$EventSerializer}. */
    public static final class EventSerializer implements Serializer<Event> {
        @Override
        public byte[] serialize(String topic, Event event) {
            return event == null ? null : EventCodec.encode(event);
        }
    }

    /**
     * Throws {@link EventFormatException} for records that are not events. Consumers that must keep going
     * (every Tribune consumer) read {@code byte[]} and call {@link EventCodec#decode(byte[])} themselves so a
     * bad record goes to the dead-letter topic instead of stalling the partition.
     */
    public static final class EventDeserializer implements Deserializer<Event> {
        @Override
        public Event deserialize(String topic, byte[] data) {
            return data == null ? null : EventCodec.decode(data);
        }
    }
}
