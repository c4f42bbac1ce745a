/**
 * The contracts between Tribune's services: Kafka topic names ({@link io.tribune.events.Topics}), the event
 * envelope ({@link io.tribune.events.Event}), versioned payload records grouped by topic
 * ({@code UserEvents}, {@code MeetingEvents}, ...) and their JSON codec. No logic lives here.
 *
 * <pre>
 * producer: EventData record --Event.of--> Event --EventCodec.encode--> bytes --Kafka(topic(), key())-->
 * consumer: bytes --EventCodec.decode--> Event (or EventFormatException -> tribune.dlq.&lt;consumer&gt;)
 * </pre>
 */
package io.tribune.events;
