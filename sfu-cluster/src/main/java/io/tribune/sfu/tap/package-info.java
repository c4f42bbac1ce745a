/**
 * The media tap: while a room is recorded (or, audio only, while its live captions are on), every RTP packet its participants publish (after SRTP decryption,
 * before any rewriting) goes to Kafka, {@code tribune.media.audio} and {@code tribune.media.video}, as events'
 * {@code RtpRecord}s keyed {@code meetingId:trackId}, between the track's {@code MediaEvents} Started and Ended
 * events. docs/sfu-signaling.md, "Media tap", has the contract for consumers.
 *
 * <pre>
 *  app.HostControls (record_start / record_stop, captions_start / captions_stop on sfu-control; the recording
 *    and captions keys for a new room)
 *    -> RoomTaps.start / stop -> RoomTap per room (node timer: follows the room's tracks)
 *  publisher's room-fan-out -> RoomTap.offer (a StageTap) -> TrackTap: media PT only, one simulcast layer,
 *    payload copied -> TapQueue (bounded; full: drop and count) ~~ sfu-media-tap thread ~~> KafkaTapSink
 *    (kafka-clients batches: linger.ms, batch.size)
 * </pre>
 *
 * <p>The forwarding path pays only the copy and a queue offer; encoding and Kafka run on the tap's one producer
 * thread. Threading per class in each class's Javadoc.
 */
package io.tribune.sfu.tap;
