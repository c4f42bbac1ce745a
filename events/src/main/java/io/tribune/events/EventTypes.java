package io.tribune.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of every event payload: wire type + version to record class and back. Thread-safe (immutable). */
public final class EventTypes {

    /** What one payload class is on the wire. */
    public record Descriptor(String type, int version, String topic, Class<? extends EventData> dataClass) {
    }

    private static final List<Class<? extends EventData>> ALL = List.of(
            UserEvents.Registered.class,
            UserEvents.Updated.class,
            UserEvents.Deleted.class,
            UserEvents.RoleChanged.class,
            UserEvents.Disabled.class,
            UserEvents.VerificationRequested.class,
            UserEvents.PasswordResetRequested.class,
            MeetingEvents.Scheduled.class,
            MeetingEvents.Updated.class,
            MeetingEvents.Cancelled.class,
            MeetingEvents.Started.class,
            MeetingEvents.Ended.class,
            MeetingEvents.BroadcastStarted.class,
            MeetingEvents.BroadcastStopped.class,
            ParticipantEvents.Joined.class,
            ParticipantEvents.Left.class,
            ParticipantEvents.RoleChanged.class,
            RecordingEvents.Started.class,
            RecordingEvents.Stopped.class,
            RecordingEvents.Ready.class,
            RecordingEvents.Failed.class,
            RecordingEvents.Deleted.class,
            MediaEvents.AudioTrackStarted.class,
            MediaEvents.AudioTrackEnded.class,
            MediaEvents.AudioCaptions.class,
            MediaEvents.VideoTrackStarted.class,
            MediaEvents.VideoTrackEnded.class,
            CaptionEvents.Caption.class,
            CaptionEvents.TranscriptReady.class,
            CaptionEvents.TranscriptFailed.class,
            TranscriptionEvents.Requested.class,
            NotificationEvents.Requested.class,
            NotificationEvents.PreferencesChanged.class,
            NotificationEvents.PushSubscriptionExpired.class,
            NotificationEvents.ReminderDue.class);

    private static final Map<Class<?>, Descriptor> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Descriptor> BY_TYPE_AND_VERSION = new LinkedHashMap<>();

    static {
        for (Class<? extends EventData> dataClass : ALL) {
            EventType annotation = dataClass.getAnnotation(EventType.class);
            if (annotation == null) {
                throw new ExceptionInInitializerError(dataClass.getName() + " lacks @EventType");
            }
            Descriptor descriptor = new Descriptor(annotation.value(), annotation.version(), annotation.topic(),
                    dataClass);
            BY_CLASS.put(dataClass, descriptor);
            if (BY_TYPE_AND_VERSION.put(wireKey(annotation.value(), annotation.version()), descriptor) != null) {
                throw new ExceptionInInitializerError("duplicate event type " + annotation.value());
            }
        }
    }

    private EventTypes() {
    }

    private static String wireKey(String type, int version) {
        return type + "/v" + version;
    }

    /** Every registered payload. */
    public static List<Descriptor> all() {
        return List.copyOf(BY_CLASS.values());
    }

    /** The descriptor of a payload class; throws if it is not registered. */
    public static Descriptor of(Class<?> dataClass) {
        Descriptor descriptor = BY_CLASS.get(dataClass);
        if (descriptor == null) {
            throw new IllegalArgumentException("not a registered event payload: " + dataClass.getName());
        }
        return descriptor;
    }

    /** The payload class for a type and version read from the wire. */
    public static Optional<Descriptor> find(String type, int version) {
        return Optional.ofNullable(BY_TYPE_AND_VERSION.get(wireKey(type, version)));
    }
}
