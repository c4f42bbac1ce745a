package io.tribune.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.tribune.api.core.BroadcastPlayback;
import io.tribune.api.core.CalendarFeeds;
import io.tribune.api.core.JoinRateLimiter;
import io.tribune.api.channel.ChannelServer;
import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.MeetingCalendar;
import io.tribune.api.core.MeetingChat;
import io.tribune.api.core.MeetingFiles;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.MeetingListing;
import io.tribune.api.core.MeetingLobby;
import io.tribune.api.core.MeetingPresence;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.api.core.PersonalRooms;
import io.tribune.api.core.RecordingCatalogue;
import io.tribune.api.core.RecordingPlayback;
import io.tribune.api.core.SfuPlacement;
import io.tribune.api.core.TownHallBroadcasts;
import io.tribune.api.core.TownHallQuestions;
import io.tribune.api.core.UserDirectory;

import java.time.Clock;

/**
 * Registers the meeting resources, with the request readers and response views they share, on Jersey. Called
 * from {@code ApiServerApplication.run()}, which builds the domain parts passed in.
 */
public final class MeetingResources {

    /** The domain parts the meeting resources use, all thread-safe. */
    public record Parts(MeetingScheduler scheduler, MeetingListing listing, MeetingJoiner joiner, MeetingLobby lobby,
                        MeetingPresence presence, JoinRevocations revocations, JoinRateLimiter limiter,
                        MeetingCalendar calendar, CalendarFeeds feeds, PersonalRooms personalRooms,
                        UserDirectory users, MeetingLinks links, MeetingChat chat, ChannelServer channel,
                        MeetingFiles files, MeetingRecordings recordings) {
    }

    private MeetingResources() {
    }

    /** Registers the town-hall resources: the broadcast (start, stop, state, playback) and the Q&A list. */
    public static void registerTownHall(JerseyEnvironment jersey, TownHallBroadcasts broadcasts,
                                        TownHallQuestions questions, BroadcastPlayback playback,
                                        ChannelServer channel, MeetingLinks links, UserDirectory users) {
        Callers callers = new Callers(users);
        jersey.register(new MeetingBroadcastResource(broadcasts, playback, channel, links, callers));
        jersey.register(new MeetingQuestionsResource(broadcasts, questions, callers));
    }

    /** Registers the recordings catalogue ({@code /api/v1/recordings}). */
    public static void registerRecordings(JerseyEnvironment jersey, RecordingCatalogue catalogue,
                                          RecordingPlayback playback, UserDirectory users) {
        jersey.register(new RecordingsResource(catalogue, playback, new Callers(users)));
    }

    /** @param placement picks the SFU node of each join's {@code signaling_url} */
    public static void register(JerseyEnvironment jersey, Parts parts, MeetingsConfiguration configuration,
                                SfuPlacement placement, ObjectMapper mapper, Clock clock) {
        Callers callers = new Callers(parts.users());
        MeetingViews views = new MeetingViews(parts.links(), configuration, placement, parts.recordings());
        MeetingRequests requests = new MeetingRequests(configuration, clock);
        JoinCallers joinCallers = new JoinCallers(callers, views);
        jersey.register(new MeetingsResource(parts.scheduler(), parts.listing(), callers, requests, views, mapper,
                clock));
        jersey.register(new MeetingJoinResource(parts.joiner(), joinCallers));
        jersey.register(new MeetingJoinByNumberResource(parts.joiner(), joinCallers));
        jersey.register(new MeetingLobbyResource(parts.scheduler(), parts.lobby(), parts.joiner(), callers,
                joinCallers));
        jersey.register(new MeetingLockResource(parts.scheduler(), parts.limiter(), callers));
        jersey.register(new MeetingParticipantsResource(parts.scheduler(), parts.revocations(), parts.presence(),
                parts.lobby(), callers, views));
        jersey.register(new MeetingCalendarResource(parts.scheduler(), parts.calendar(), parts.feeds(), callers));
        jersey.register(new MeetingChatResource(parts.scheduler(), parts.chat(), parts.channel(), callers));
        if (parts.files() != null) {
            jersey.register(new MeetingFilesResource(parts.files(), parts.channel()));
        }
        jersey.register(new MeetingRecordingResource(parts.recordings(), callers));
        jersey.register(new CalendarFeedResource(parts.feeds(), parts.links()));
        jersey.register(new CalendarFeedIcsResource(parts.feeds()));
        jersey.register(new PersonalRoomResource(parts.personalRooms(), parts.scheduler(), parts.users(), callers,
                views));
    }
}
