package io.tribune.api.resources;

import io.tribune.api.api.JoinResponse;
import io.tribune.api.api.LobbyStatusResponse;
import io.tribune.api.api.MeetingListResponse;
import io.tribune.api.api.MeetingResponse;
import io.tribune.api.core.IceServerConfiguration;
import io.tribune.api.core.Invitee;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.MeetingListing;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.MeetingSchedule;
import io.tribune.api.core.MeetingSettings;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.api.core.OccurrenceOverride;
import io.tribune.api.core.Permission;
import io.tribune.api.core.RecurrenceRule;
import io.tribune.api.core.SfuPlacement;

import java.util.ArrayList;
import java.util.List;

/** Turns domain meetings into API records (never the other way round). Immutable and thread-safe. */
final class MeetingViews {

    private final MeetingLinks links;
    private final MeetingsConfiguration configuration;
    private final List<JoinResponse.IceServer> iceServers;
    private final SfuPlacement placement;
    private final MeetingRecordings recordings;

    MeetingViews(MeetingLinks links, MeetingsConfiguration configuration, SfuPlacement placement,
                 MeetingRecordings recordings) {
        this.recordings = recordings;
        this.links = links;
        this.configuration = configuration;
        this.placement = placement;
        List<JoinResponse.IceServer> servers = new ArrayList<>();
        for (IceServerConfiguration server : configuration.getIceServers()) {
            servers.add(new JoinResponse.IceServer(List.copyOf(server.getUrls()), server.getUsername(),
                    server.getCredential()));
        }
        this.iceServers = List.copyOf(servers);
    }

    /**
     * @param role     the caller's role in the meeting, or null (an admin who is not invited)
     * @param passcode the passcode in clear, only for hosts and co-hosts; null for everyone else
     */
    MeetingResponse meeting(Meeting meeting, MeetingRole role, String passcode) {
        MeetingSchedule schedule = meeting.schedule();
        MeetingSettings s = meeting.settings();
        List<String> participants = new ArrayList<>();
        List<MeetingResponse.InviteeResponse> invitees = new ArrayList<>();
        for (Invitee invitee : meeting.invitees()) {
            participants.add(invitee.reference());
            invitees.add(new MeetingResponse.InviteeResponse(invitee.userId(), invitee.email(),
                    invitee.role().wireName()));
        }
        List<MeetingResponse.OverrideResponse> overrides = new ArrayList<>();
        if (schedule != null) {
            for (OccurrenceOverride o : schedule.overrides().values()) {
                overrides.add(new MeetingResponse.OverrideResponse(o.occurrence(), o.cancelled(), o.title(),
                        o.startTime(), o.endTime()));
            }
        }
        return new MeetingResponse(meeting.id(), Long.toString(meeting.numericId()), meeting.title(),
                meeting.kind().wireName(),
                schedule == null ? null : schedule.startTime(),
                schedule == null ? null : schedule.endTime(),
                schedule == null ? null : schedule.timeZone().getId(),
                schedule == null ? null : schedule.rule().map(RecurrenceRule::value).orElse(null),
                meeting.hostId(), participants, invitees, links.meetingUrl(meeting.id()),
                meeting.status().wireName(), meeting.sequence(), meeting.personalRoom(), meeting.locked(),
                role == null ? null : role.wireName(),
                new MeetingResponse.Settings(passcode, s.lobby(), s.joinBeforeHost(), s.muteOnEntry(),
                        s.recordingAllowed(), s.transcriptionAllowed(), s.maxParticipants(), s.allowGuests(),
                        s.autoRecord(), s.recordingRetentionDays(), s.autoCaptions(), s.shareSummary()),
                overrides, meeting.createdAt(), meeting.updatedAt());
    }

    MeetingListResponse.Item item(MeetingListing.Listed listed) {
        Meeting meeting = listed.meeting();
        return new MeetingListResponse.Item(meeting.id(),
                listed.occurrence().title() != null ? listed.occurrence().title() : meeting.title(),
                meeting.kind().wireName(), listed.occurrence().startTime(), listed.occurrence().endTime(),
                meeting.schedule().timeZone().getId(), listed.occurrence().recurrenceId(),
                meeting.schedule().recurring(), listed.occurrence().modified(), meeting.hostId(),
                listed.role().wireName(), links.meetingUrl(meeting.id()));
    }

    JoinResponse joined(MeetingJoiner.Granted granted) {
        Meeting meeting = granted.meeting();
        boolean watches = granted.role().watchesBroadcast(meeting.kind());
        return new JoinResponse(meeting.id(), granted.userId(), granted.participantId(), granted.displayName(),
                links.joinUrl(meeting.id()), granted.token().token(), granted.token().expiresAt(),
                watches ? null : placement.signalingUrl(meeting.id()).toString(),
                watches ? links.hlsUrl(meeting.id()) : null,
                iceServers, granted.role().wireName(),
                granted.permissions().stream().map(Permission::wireName).toList(),
                meeting.settings().muteOnEntry(), granted.rejoinSecret(), recordings.isRecording(meeting.id()));
    }

    LobbyStatusResponse waiting(MeetingJoiner.Waiting waiting) {
        return new LobbyStatusResponse("lobby", waiting.meeting().id(), waiting.participantId(),
                waiting.reason().wireName(), waiting.lobbyToken(),
                links.lobbyPollUrl(waiting.meeting().id(), waiting.participantId()),
                MeetingJoiner.POLL_AFTER_SECONDS);
    }
}
