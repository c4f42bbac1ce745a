package io.tribune.api;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.tribune.api.auth.AccessState;
import io.tribune.api.auth.AccessTokens;
import io.tribune.api.auth.AuthConfiguration;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.auth.BearerHeaderAuthFilter;
import io.tribune.api.auth.BearerUnauthorizedHandler;
import io.tribune.api.auth.LoginThrottle;
import io.tribune.api.auth.PasswordHasher;
import io.tribune.api.auth.PasswordPolicy;
import io.tribune.api.auth.RoleAuthorizer;
import io.tribune.api.cache.ChangeFeed;
import io.tribune.api.cache.ChangeKind;
import io.tribune.api.cache.NearCache;
import io.tribune.api.channel.ChannelServer;
import io.tribune.api.core.AccountErasure;
import io.tribune.api.core.AccountExport;
import io.tribune.api.core.Accounts;
import io.tribune.api.core.AdminAccounts;
import io.tribune.api.core.AuditLog;
import io.tribune.api.core.BootstrapAdmin;
import io.tribune.api.core.BroadcastAnnouncer;
import io.tribune.api.core.BroadcastPlayback;
import io.tribune.api.core.CachedUserDirectory;
import io.tribune.api.core.CalendarFeeds;
import io.tribune.api.core.ExpiredCredentialsSweeper;
import io.tribune.api.core.JoinRateLimiter;
import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingAdmissions;
import io.tribune.api.core.MeetingCalendar;
import io.tribune.api.core.MeetingChat;
import io.tribune.api.core.MeetingErasure;
import io.tribune.api.core.MeetingExport;
import io.tribune.api.core.MeetingIds;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.MeetingListing;
import io.tribune.api.core.MeetingLobby;
import io.tribune.api.core.MeetingPresence;
import io.tribune.api.core.RecordingAutoStop;
import io.tribune.api.core.LiveCaptions;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.MeetingSecrets;
import io.tribune.api.core.MeetingFiles;
import io.tribune.api.core.FileStore;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.api.core.OneTimeLinks;
import io.tribune.api.core.PersonalRooms;
import io.tribune.api.core.RecordingCatalogue;
import io.tribune.api.core.RecordingPlayback;
import io.tribune.api.core.RecordingRetention;
import io.tribune.api.core.RecordingTranscriptions;
import io.tribune.api.core.Sessions;
import io.tribune.api.core.SfuPlacement;
import io.tribune.api.core.TownHallBroadcasts;
import io.tribune.api.core.TownHallQuestions;
import io.tribune.api.core.Transcripts;
import io.tribune.api.core.TranscriptsConfiguration;
import io.tribune.api.core.UserDataHooks;
import io.tribune.api.core.UserDirectory;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.api.db.DbCommand;
import io.tribune.api.db.JdbiUserDirectory;
import io.tribune.api.errors.ErrorMappers;
import io.tribune.api.health.KafkaHealthCheck;
import io.tribune.api.health.MigrationsHealthCheck;
import io.tribune.api.health.RedisHealthCheck;
import io.tribune.api.kafka.KafkaProducerManager;
import io.tribune.api.kafka.LiveCaptionsConsumer;
import io.tribune.api.kafka.RecordingResultsConsumer;
import io.tribune.api.kafka.TranscriptConsumer;
import io.tribune.api.logging.RequestIdFilter;
import io.tribune.api.metrics.PrometheusMetrics;
import io.tribune.api.notify.NotificationResources;
import io.tribune.api.notify.InvitationNotifier;
import io.tribune.api.notify.Notifications;
import io.tribune.api.notify.RecordingReadyNotifier;
import io.tribune.api.outbox.OutboxRelay;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.api.redis.RedissonManager;
import io.tribune.api.web.WebClient;
import io.tribune.api.resources.AdminAuditLogResource;
import io.tribune.api.resources.AdminUsersResource;
import io.tribune.api.resources.JwksResource;
import io.tribune.api.resources.MeetingCaptionsResource;
import io.tribune.api.resources.MeetingResources;
import io.tribune.api.resources.TranscriptResources;
import io.tribune.api.resources.OpenApiResource;
import io.tribune.api.resources.StatusResource;
import io.tribune.api.resources.UsersResource;
import io.tribune.common.token.SigningKeys;
import io.tribune.common.token.TokenIssuer;
import io.tribune.common.token.TokenVerifier;
import jakarta.servlet.DispatcherType;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;

/**
 * The api-server: {@code java -cp ... io.tribune.api.ApiServerApplication server api-server.yml}.
 *
 * <p>Commands: {@code server <file>} runs it, {@code check <file>} validates the configuration and exits,
 * {@code db migrate <file>} / {@code db info <file>} manage the schema.
 *
 * <p>All wiring happens in {@link #run}: parts get what they need through their constructors. Long-lived parts
 * are {@code Managed}; they start in the order they are registered here and stop in reverse, so the outbox relay
 * (registered last) finishes its pass before the producer, Redis and the pool close.
 */
public class ApiServerApplication extends Application<ApiServerConfiguration> {

    /** Accepted tokens remembered (~1 KiB each): a few thousand active users re-presenting theirs. */
    private static final int VERIFIED_TOKEN_CACHE = 20_000;

    /** Entries per in-memory cache (meetings, profiles, session and account state): ~1-2 KiB each at most. */
    private static final long CACHE_ENTRIES = 100_000;

    /** The longest a meeting or profile is kept: bounds the harm of a change that was never announced. */
    private static final Duration STATE_CACHE_AGE = Duration.ofMinutes(5);

    /** The same for whether a token's session and account are still good: shorter, since it guards access. */
    private static final Duration TOKEN_STATE_CACHE_AGE = Duration.ofSeconds(30);

    /** How often migrations are retried while PostgreSQL is unreachable at startup. */
    private static final Duration MIGRATION_RETRY_INTERVAL = Duration.ofSeconds(5);

    private final Clock clock;

    // Set by run(); exposed for integration tests and embedding (ops' `tribune up`).
    private volatile Jdbi jdbi;
    private volatile OutboxWriter outboxWriter;
    private volatile OutboxRelay outboxRelay;
    private volatile DatabaseMigrator migrator;
    private volatile SigningKeys signingKeys;
    private volatile TokenIssuer tokenIssuer;
    private volatile AccessTokens accessTokens;
    private volatile AuditLog auditLog;
    private volatile UserDataHooks userDataHooks;

    public ApiServerApplication() {
        this(Clock.systemUTC());
    }

    public ApiServerApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new ApiServerApplication().run(args);
    }

    @Override
    public String getName() {
        return "api-server";
    }

    /** The version in the jar's manifest, or {@code dev} when running from classes. */
    public static String version() {
        return Optional.ofNullable(ApiServerApplication.class.getPackage().getImplementationVersion()).orElse("dev");
    }

    @Override
    public void initialize(Bootstrap<ApiServerConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default}; strict: a variable that is unset and has no default is an error.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
        bootstrap.addCommand(new DbCommand());
        // Times in API bodies are ISO-8601 strings ("2026-11-26T09:20:06.493Z"), as in events, never numbers.
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Override
    public void run(ApiServerConfiguration configuration, Environment environment) {
        // HTTP plumbing: request ids first, so every later log line and error carries one.
        environment.servlets().addFilter("request-id", new RequestIdFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        ErrorMappers.register(configuration.getServerFactory(), environment.jersey(), environment.getObjectMapper());
        refuseScalarToStringCoercion(environment.getObjectMapper());

        // PostgreSQL. The pool must not refuse to start when the database is down: it connects on demand.
        DataSourceFactory database = configuration.getDatabase();
        database.setIgnoreExceptionOnPreLoad(true);
        ManagedDataSource dataSource = database.build(environment.metrics(), "postgresql");
        Jdbi jdbi = new JdbiFactory().build(environment, database, dataSource, "postgresql"); // + health check
        DatabaseMigrator migrator = new DatabaseMigrator(dataSource, configuration.isMigrateOnStart(),
                MIGRATION_RETRY_INTERVAL);
        environment.lifecycle().manage(migrator);
        environment.healthChecks().register(MigrationsHealthCheck.NAME, new MigrationsHealthCheck(migrator));

        // Kafka.
        KafkaProducerManager kafka = new KafkaProducerManager(configuration.getKafka());
        environment.lifecycle().manage(kafka);
        KafkaHealthCheck kafkaHealth = new KafkaHealthCheck(configuration.getKafka());
        environment.lifecycle().manage(kafkaHealth);
        environment.healthChecks().register(KafkaHealthCheck.NAME, kafkaHealth);

        // Redis.
        RedissonManager redisson = new RedissonManager(configuration.getRedis());
        environment.lifecycle().manage(redisson);
        environment.healthChecks().register(RedisHealthCheck.NAME, new RedisHealthCheck(redisson,
                Duration.ofMillis(configuration.getRedis().getTimeout().toMilliseconds())));

        // Outbox: writer for resources, relay to Kafka (registered last: stopped first).
        OutboxWriter outboxWriter = new OutboxWriter(clock);
        OutboxRelay relay = new OutboxRelay(jdbi, kafka, configuration.getOutbox(),
                Duration.ofMillis(configuration.getKafka().getDeliveryTimeout().toMilliseconds()),
                migrator::isReady, () -> DriverManager.getConnection(database.getUrl(),
                        jdbcProperties(database, "api-server outbox listener")),
                environment.metrics(), clock);
        environment.lifecycle().manage(relay);

        // In-memory copies of the hot reads (meetings, profiles, token state), evicted on every instance when a
        // change commits (PostgreSQL triggers -> NOTIFY -> ChangeFeed), and kept only while the feed listens.
        ChangeFeed changes = new ChangeFeed(() -> DriverManager.getConnection(database.getUrl(),
                jdbcProperties(database, "api-server change feed")));
        environment.lifecycle().manage(changes);
        NearCache<Meeting> meetingCache = nearCache("meetings", STATE_CACHE_AGE, changes, environment);
        NearCache<UserDirectory.UserProfile> profileCache = nearCache("profiles", STATE_CACHE_AGE, changes,
                environment);
        NearCache<String> sessionStateCache = nearCache("session_states", TOKEN_STATE_CACHE_AGE, changes,
                environment);
        NearCache<String> accountStateCache = nearCache("account_states", TOKEN_STATE_CACHE_AGE, changes,
                environment);
        changes.subscribe(ChangeKind.MEETING, meetingCache);
        changes.subscribe(ChangeKind.USER, profileCache);
        changes.subscribe(ChangeKind.USER, accountStateCache);
        changes.subscribe(ChangeKind.SESSION, sessionStateCache);

        PrometheusMetrics.register(environment.metrics(), environment.admin());

        // Accounts and auth: ES256 access tokens (checked against session and account state in Redis), rotating
        // refresh tokens, Argon2id passwords. Other parts plug into erasure and export through userDataHooks.
        AuthConfiguration auth = configuration.getAuth();
        SigningKeys signingKeys = SigningKeys.loadOrCreate(auth.getSigningKeysFile());
        Duration clockSkew = duration(auth.getClockSkew());
        Duration accessTokenTtl = duration(auth.getAccessTokenTtl());
        TokenIssuer tokenIssuer = new TokenIssuer(signingKeys, configuration.tokenIssuer(), clock);
        // Remembers accepted tokens: an ES256 verification costs ~1 ms of CPU on JDK 17, and clients reuse a token
        // for its whole life. Revocation and the account's state are still checked on every request (AccessState).
        TokenVerifier tokenVerifier = new TokenVerifier(signingKeys, configuration.tokenIssuer(), clock, clockSkew)
                .cached(VERIFIED_TOKEN_CACHE);
        AccessState accessState = new AccessState(redisson, jdbi, accessTokenTtl.plus(clockSkew),
                sessionStateCache, accountStateCache);
        AccessTokens accessTokens = new AccessTokens(tokenIssuer, tokenVerifier, accessState, accessTokenTtl);
        PasswordHasher hasher = new PasswordHasher(auth.getPasswordHashing().parameters(),
                auth.getPasswordHashing().getMaxConcurrent(), duration(auth.getPasswordHashing().getMaxWait()));
        LoginThrottle throttle = new LoginThrottle(redisson, auth.getLoginThrottle());
        AuditLog auditLog = new AuditLog(clock, environment.getObjectMapper());
        UserDataHooks userDataHooks = new UserDataHooks();
        OneTimeLinks links = new OneTimeLinks(clock, outboxWriter, duration(auth.getEmailVerificationTtl()),
                duration(auth.getPasswordResetTtl()));
        Sessions sessions = new Sessions(jdbi, clock, hasher, throttle, accessTokens, accessState, auditLog,
                duration(auth.getRefreshTokenTtl()));
        Accounts accounts = new Accounts(jdbi, clock, hasher, PasswordPolicy.standard(), links, outboxWriter,
                sessions, throttle, auditLog, changes);
        AdminAccounts adminAccounts = new AdminAccounts(jdbi, clock, outboxWriter, sessions, accessState, auditLog,
                environment.getObjectMapper());
        environment.jersey().register(new AuthDynamicFeature(new BearerHeaderAuthFilter.Builder()
                .setAuthenticator(accessTokens)
                .setAuthorizer(new RoleAuthorizer())
                .setPrefix("Bearer")
                .setRealm("tribune")
                .setUnauthorizedHandler(new BearerUnauthorizedHandler())
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(AuthenticatedUser.class));
        environment.jersey().register(new UsersResource(accounts, sessions,
                new AccountErasure(jdbi, clock, userDataHooks, outboxWriter, accessState, auditLog),
                new AccountExport(jdbi, clock, userDataHooks, auditLog, environment.getObjectMapper()),
                accessTokens));
        environment.jersey().register(new AdminUsersResource(adminAccounts));
        environment.jersey().register(new AdminAuditLogResource(adminAccounts));
        environment.jersey().register(new JwksResource(signingKeys));
        environment.lifecycle().manage(new ExpiredCredentialsSweeper(jdbi, migrator, clock));
        if (auth.hasBootstrapAdmin()) {
            environment.lifecycle().manage(new BootstrapAdmin(auth.getBootstrapAdmin(), jdbi, migrator, hasher,
                    outboxWriter, auditLog, clock));
        }

        // Meetings: scheduling with conflict checks, joining (join tokens signed like access tokens), lobby,
        // calendars. Meeting state lives in PostgreSQL; lobby, presence, failed-join counters and revocations in
        // Redis, shared by every instance.
        MeetingsConfiguration meetings = configuration.getMeetings();
        MeetingSecrets meetingSecrets = MeetingSecrets.loadOrCreate(Path.of(meetings.getPasscodeKeyFile()));
        MeetingIds meetingIds = new MeetingIds();
        UserDirectory userDirectory = new CachedUserDirectory(new JdbiUserDirectory(jdbi), profileCache);
        MeetingLinks meetingLinks = new MeetingLinks(configuration.getPublicUrl(), meetings.getHlsBaseUrl());
        MeetingCalendar meetingCalendar = new MeetingCalendar(meetingLinks);
        MeetingScheduler scheduler = new MeetingScheduler(jdbi, outboxWriter, auditLog, meetingSecrets, meetingIds,
                userDirectory, meetings, clock, meetingCache, changes);
        MeetingLobby lobby = new MeetingLobby(redisson, environment.getObjectMapper(),
                duration(meetings.getLobbyTtl()), clock);
        MeetingPresence presence = new MeetingPresence(redisson, duration(meetings.getPresenceTtl()), clock);
        JoinRevocations revocations = new JoinRevocations(redisson);
        JoinRateLimiter joinLimiter = new JoinRateLimiter(redisson, meetings.getFailedJoinLimits());
        MeetingAdmissions admissions = new MeetingAdmissions(redisson, environment.getObjectMapper(), meetingIds,
                clock);
        MeetingJoiner joiner = new MeetingJoiner(jdbi, scheduler, meetingSecrets, meetingIds, joinLimiter, lobby,
                presence, revocations, tokenIssuer, meetings, admissions);
        CalendarFeeds calendarFeeds = new CalendarFeeds(jdbi, meetingSecrets, meetingIds, meetingCalendar,
                userDirectory, clock);
        // Meeting channel: chat, roster, reactions and host controls over a WebSocket per participant, shared
        // across instances through Redis pub/sub; chat is stored in PostgreSQL.
        MeetingChat chat = new MeetingChat(jdbi, clock);
        // Files shared in meetings: bytes in object storage (S3 API), metadata in PostgreSQL; off without a bucket.
        MeetingFiles meetingFiles = null;
        if (configuration.getFiles().enabled()) {
            FileStore fileStore = new FileStore(configuration.getFiles());
            environment.lifecycle().manage(fileStore);
            meetingFiles = new MeetingFiles(jdbi, fileStore, meetingSecrets, configuration.getFiles(), clock);
        }
        // Recording: start/stop (PostgreSQL + outbox, then the SFU's tap over Redis), the catalogue the API serves,
        // and the consumer that applies recording-archive's results to it.
        Notifications notifications = NotificationResources.register(environment, configuration, jdbi, dataSource,
                outboxWriter, migrator, userDataHooks, clock);
        // Invitations, updates and cancellations also reach the bell and the invitees' browsers (the worker mails).
        scheduler.notifying(new InvitationNotifier(notifications, configuration.getPublicUrl()));
        MeetingRecordings recordings = new MeetingRecordings(jdbi, scheduler, outboxWriter, auditLog, redisson,
                environment.getObjectMapper(), duration(configuration.getRecordings().getRetention()), clock);
        RecordingCatalogue recordingCatalogue = new RecordingCatalogue(jdbi, auditLog, outboxWriter, clock);
        // Retention: expired recordings deleted (recording.deleted -> the archive deletes the objects), and the
        // recordings of erased accounts; legal hold wins over both.
        RecordingRetention retention = new RecordingRetention(jdbi, recordingCatalogue, clock,
                duration(configuration.getRecordings().getSweepInterval()),
                configuration.getRecordings().getSweepBatchSize());
        if (configuration.getRecordings().isSweep()) {
            environment.lifecycle().manage(retention);
        }
        userDataHooks.addErasureListener(retention);
        if (configuration.getRecordings().isConsumeResults()) {
            environment.lifecycle().manage(new RecordingResultsConsumer(configuration.getKafka().getBootstrapServers(),
                    configuration.getRecordings().getConsumerGroup(), jdbi, dataSource, recordingCatalogue, migrator,
                    environment.metrics()).notifying(new RecordingReadyNotifier(notifications,
                    configuration.getPublicUrl())));
        }
        ChannelServer channel = new ChannelServer(redisson, new TokenVerifier(signingKeys, configuration.tokenIssuer(),
                clock, clockSkew), revocations, presence, admissions, chat, meetingFiles, jdbi, outboxWriter,
                environment.getObjectMapper(), clock);
        channel.install(environment);
        channel.enableRecordings(recordings);
        // A recording stops once everyone has left and nobody came back within the grace (timer + sweep, Redis).
        if (configuration.getRecordings().isAutoStop()) {
            RecordingAutoStop autoStop = new RecordingAutoStop(recordings, presence, redisson,
                    duration(configuration.getRecordings().getAutoStopGrace()),
                    duration(configuration.getRecordings().getAutoStopSweepInterval()), clock);
            environment.lifecycle().manage(autoStop);
            channel.enableRecordingAutoStop(autoStop);
        }
        // Live captions: on and off in Redis (the SFU's tap reads it), and the worker's captions relayed from Kafka
        // to the meeting channel.
        LiveCaptions liveCaptions = new LiveCaptions(scheduler, redisson, environment.getObjectMapper());
        channel.enableCaptions(liveCaptions);
        environment.jersey().register(new MeetingCaptionsResource(liveCaptions, scheduler, userDirectory));
        if (configuration.getCaptions().isRelay()) {
            environment.lifecycle().manage(new LiveCaptionsConsumer(configuration.getKafka().getBootstrapServers(),
                    configuration.getCaptions().getConsumerGroup(), redisson, environment.getObjectMapper(),
                    duration(configuration.getCaptions().getMaxAge()), clock, environment.metrics()));
        }
        MeetingResources.register(environment.jersey(), new MeetingResources.Parts(scheduler,
                new MeetingListing(jdbi), joiner, lobby, presence, revocations, joinLimiter, meetingCalendar,
                calendarFeeds, new PersonalRooms(jdbi, scheduler), userDirectory, meetingLinks, chat, channel,
                meetingFiles, recordings),
                meetings, new SfuPlacement(redisson, meetings.getSignalingUrl(), clock), environment.getObjectMapper(),
                clock);
        MeetingResources.registerRecordings(environment.jersey(), recordingCatalogue, new RecordingPlayback(jdbi,
                recordingCatalogue, auditLog, meetingLinks, meetings.getPlayback(), clock), userDirectory);
        // Transcripts: transcription-worker's final captions stored by phrase, served as JSON/WebVTT/SRT/text,
        // searched with PostgreSQL text search, with chapters and an extractive summary.
        TranscriptsConfiguration transcriptRules = configuration.getTranscripts();
        Transcripts transcripts = new Transcripts(jdbi, scheduler, recordingCatalogue, environment.getObjectMapper(),
                duration(transcriptRules.getChapterPause()), duration(transcriptRules.getMinimumChapter()), clock,
                notifications, configuration.getPublicUrl().toString().replaceAll("/+$", "") + "/app/");
        TranscriptResources.register(environment.jersey(), transcripts, userDirectory);
        // Transcribing a stored recording on demand: transcription.requested through the outbox, the worker's
        // transcript.ready / transcript.failed applied to the recording's transcript_status.
        RecordingTranscriptions recordingTranscriptions = new RecordingTranscriptions(jdbi, recordingCatalogue,
                auditLog, outboxWriter, clock);
        TranscriptResources.registerOnDemand(environment.jersey(), recordingTranscriptions, userDirectory);
        if (transcriptRules.isConsume()) {
            environment.lifecycle().manage(new TranscriptConsumer(configuration.getKafka().getBootstrapServers(),
                    transcriptRules.getConsumerGroup(), transcripts, migrator, environment.metrics())
                    .withRecordingTranscriptions(recordingTranscriptions));
        }
        // Town halls: the broadcast's start and stop, the audience's signed playback cookies, Q&A and the viewer
        // count, over REST and the meeting channel.
        // Transcoders follow live broadcasts over Redis (a set and a channel, events' LiveBroadcasts).
        BroadcastAnnouncer announcer = new BroadcastAnnouncer(redisson);
        environment.metrics().register("broadcasts.announce_failures", (Gauge<Long>) announcer::failures);
        TownHallBroadcasts broadcasts = new TownHallBroadcasts(jdbi, scheduler, meetingLinks, outboxWriter, announcer,
                clock);
        TownHallQuestions questions = new TownHallQuestions(jdbi, clock);
        BroadcastPlayback playback = new BroadcastPlayback(meetingLinks, meetings.getPlayback(), clock);
        channel.enableTownHalls(redisson, scheduler, broadcasts, questions, playback, meetingLinks, clock);
        MeetingResources.registerTownHall(environment.jersey(), broadcasts, questions, playback, channel,
                meetingLinks, userDirectory);
        userDataHooks.addErasureListener(questions);
        userDataHooks.addExporter(questions);
        userDataHooks.addErasureListener(new MeetingErasure(outboxWriter, userDirectory, clock));
        userDataHooks.addErasureListener(chat);
        userDataHooks.addExporter(new MeetingExport());
        userDataHooks.addExporter(chat);

        // The browser app at /app/, and shared meeting links redirected into it.
        WebClient.install(environment, meetings.getSignalingUrl(), meetings.getHlsBaseUrl());

        environment.jersey().register(new StatusResource(version(), clock));
        // Last: the document describes every resource registered above (read on the first request).
        environment.jersey().register(new OpenApiResource(
                () -> OpenApiResource.resourceClasses(environment.jersey().getResourceConfig()), version(),
                configuration.getPublicUrl().toString()));

        this.jdbi = jdbi;
        this.outboxWriter = outboxWriter;
        this.outboxRelay = relay;
        this.migrator = migrator;
        this.signingKeys = signingKeys;
        this.tokenIssuer = tokenIssuer;
        this.accessTokens = accessTokens;
        this.auditLog = auditLog;
        this.userDataHooks = userDataHooks;
    }

    /**
     * A JSON number or boolean where the API expects a string is an error (400 naming the field), not silently
     * turned into text. Set here, after the configuration was read with the same mapper (YAML scalars such as
     * {@code password: 12345} stay legal there).
     */
    private static void refuseScalarToStringCoercion(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    private static Duration duration(io.dropwizard.util.Duration duration) {
        return Duration.ofNanos(duration.toNanoseconds());
    }

    private static <V> NearCache<V> nearCache(String name, Duration maxAge, ChangeFeed changes,
                                              Environment environment) {
        return new NearCache<>(name, CACHE_ENTRIES, maxAge, changes::isLive, environment.metrics());
    }

    private static Properties jdbcProperties(DataSourceFactory database, String applicationName) {
        Properties properties = new Properties();
        properties.putAll(database.getProperties());
        if (database.getUser() != null) {
            properties.setProperty("user", database.getUser());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        properties.setProperty("ApplicationName", applicationName);
        return properties;
    }

    /** The application's Jdbi (after {@code run}). */
    public Jdbi jdbi() {
        return requireRunning(jdbi);
    }

    public OutboxWriter outboxWriter() {
        return requireRunning(outboxWriter);
    }

    public OutboxRelay outboxRelay() {
        return requireRunning(outboxRelay);
    }

    public DatabaseMigrator migrator() {
        return requireRunning(migrator);
    }

    /** The token signing keys (current first); their public halves are served as JWKS. */
    public SigningKeys signingKeys() {
        return requireRunning(signingKeys);
    }

    /** Signs tokens with {@link #signingKeys()} and the configured issuer: access tokens, and join tokens. */
    public TokenIssuer tokenIssuer() {
        return requireRunning(tokenIssuer);
    }

    public AccessTokens accessTokens() {
        return requireRunning(accessTokens);
    }

    public AuditLog auditLog() {
        return requireRunning(auditLog);
    }

    /** Where erasure listeners and data exporters are registered (in {@code run()}, before serving). */
    public UserDataHooks userDataHooks() {
        return requireRunning(userDataHooks);
    }

    private static <T> T requireRunning(T part) {
        if (part == null) {
            throw new IllegalStateException("api-server has not run yet");
        }
        return part;
    }
}
