package io.tribune.api.core;

import io.tribune.api.db.CalendarFeedDao;
import io.tribune.api.db.MeetingDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Each person's secret calendar subscription: an unguessable token (256 random bits) in a URL that calendar
 * apps fetch without credentials. The token is looked up by its HMAC and kept sealed, so its owner can see the
 * URL again while a database dump reveals no working URL; rotating replaces it and the old URL stops working.
 * The feed lists the person's scheduled meetings (hosted or invited) that end after {@link #PAST_WINDOW} ago.
 *
 * <p>Thread-safe (stateless).
 */
public final class CalendarFeeds {

    /** How far back a feed still lists meetings. */
    public static final Duration PAST_WINDOW = Duration.ofDays(90);

    private final Jdbi jdbi;
    private final MeetingSecrets secrets;
    private final MeetingIds ids;
    private final MeetingCalendar calendar;
    private final UserDirectory users;
    private final Clock clock;

    public CalendarFeeds(Jdbi jdbi, MeetingSecrets secrets, MeetingIds ids, MeetingCalendar calendar,
                         UserDirectory users, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.secrets = Objects.requireNonNull(secrets);
        this.ids = Objects.requireNonNull(ids);
        this.calendar = Objects.requireNonNull(calendar);
        this.users = Objects.requireNonNull(users);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The person's feed token, made on first use. */
    public String token(String userId) {
        return jdbi.inTransaction(handle -> {
            CalendarFeedDao feeds = handle.attach(CalendarFeedDao.class);
            Optional<byte[]> sealed = feeds.findSealedToken(userId);
            if (sealed.isPresent()) {
                return secrets.open(sealed.get(), context(userId));
            }
            String token = ids.newToken();
            if (feeds.insertIfAbsent(userId, secrets.tokenDigest(token), secrets.seal(token, context(userId)),
                    clock.instant())) {
                return token;
            }
            // Another request made it first: use theirs.
            return secrets.open(feeds.findSealedToken(userId).orElseThrow(), context(userId));
        });
    }

    /** A new token for the person; the old one stops working. */
    public String rotate(String userId) {
        String token = ids.newToken();
        jdbi.useTransaction(handle -> handle.attach(CalendarFeedDao.class).upsert(userId, secrets.tokenDigest(token),
                secrets.seal(token, context(userId)), clock.instant()));
        return token;
    }

    /** The feed behind {@code token} as an iCalendar document, or empty when no such feed exists. */
    public Optional<String> render(String token) {
        if (token == null || token.length() > 128) {
            return Optional.empty();
        }
        Optional<String> owner = jdbi.withHandle(handle ->
                handle.attach(CalendarFeedDao.class).findUserId(secrets.tokenDigest(token)));
        Optional<UserDirectory.UserProfile> profile = owner.flatMap(users::find);
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Meeting> meetings = jdbi.withHandle(handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            return dao.assemble(dao.findRowsForPerson(profile.get().userId(), profile.get().email(),
                    now.minus(PAST_WINDOW), Instant.parse("9999-12-31T00:00:00Z")));
        });
        return Optional.of(calendar.feed(profile.get().displayName(), meetings, people(meetings)));
    }

    /** Hosts and invitees of {@code meetings} with accounts, by id. */
    public Map<String, UserDirectory.UserProfile> people(List<Meeting> meetings) {
        Set<String> userIds = new LinkedHashSet<>();
        for (Meeting meeting : meetings) {
            userIds.add(meeting.hostId());
            meeting.invitees().stream().filter(i -> i.userId() != null).forEach(i -> userIds.add(i.userId()));
        }
        return userIds.isEmpty() ? Map.of() : users.findAll(userIds);
    }

    private static String context(String userId) {
        return "calendar-feed:" + userId;
    }
}
