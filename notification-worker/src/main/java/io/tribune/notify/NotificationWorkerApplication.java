package io.tribune.notify;

import com.github.kagkarlsson.scheduler.task.Task;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.JdbcProcessedEvents;
import io.tribune.events.Topics;
import io.tribune.notify.calendar.InviteCalendar;
import io.tribune.notify.core.AccountMails;
import io.tribune.notify.core.MeetingMails;
import io.tribune.notify.core.MeetingPlans;
import io.tribune.notify.core.NotificationHandler;
import io.tribune.notify.core.RecipientPreferences;
import io.tribune.notify.db.WorkerMigrations;
import io.tribune.notify.delivery.Deliveries;
import io.tribune.notify.delivery.DeliveryLog;
import io.tribune.notify.delivery.RetryTask;
import io.tribune.notify.health.WorkerHealthChecks;
import io.tribune.notify.mail.Mailer;
import io.tribune.notify.mail.Templates;
import io.tribune.notify.mail.UnsubscribeLinks;
import io.tribune.notify.push.KafkaReports;
import io.tribune.notify.push.WebPushConfiguration;
import io.tribune.notify.push.WebPushSender;
import io.tribune.notify.reminders.Reminders;
import io.tribune.notify.reminders.SchedulerManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The notification worker: {@code java -cp ... io.tribune.notify.NotificationWorkerApplication server worker.yml}.
 *
 * <pre>
 *   tribune.meetings ─┐                              ┌─► Deliveries ─► Mailer ─► SMTP relay
 *   tribune.users ────┼─► EventConsumer ─► Notification-┤     │ (delivery log; retries: db-scheduler task)
 *   tribune.notifications┘  (common kit)     Handler    └─► Reminders (db-scheduler task per meeting) ─┘
 * </pre>
 *
 * <p>All wiring happens in {@link #run}. Managed parts start in registration order (migrations, mailer, scheduler,
 * consumer) and stop in reverse, so the consumer stops reading before the scheduler and the pool close.
 */
public class NotificationWorkerApplication extends Application<NotificationWorkerConfiguration> {

    private final Clock clock;

    // Set by run(); for integration tests.
    private volatile EventConsumer consumer;
    private volatile Deliveries deliveries;
    private volatile SchedulerManager scheduler;

    public NotificationWorkerApplication() {
        this(Clock.systemUTC());
    }

    public NotificationWorkerApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new NotificationWorkerApplication().run(args);
    }

    @Override
    public String getName() {
        return "notification-worker";
    }

    @Override
    public void initialize(Bootstrap<NotificationWorkerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(NotificationWorkerConfiguration configuration, Environment environment) {
        ManagedDataSource dataSource = configuration.getDatabase().build(environment.metrics(), "postgresql");
        environment.lifecycle().manage(dataSource);
        environment.lifecycle().manage(new WorkerMigrations(dataSource, configuration.isMigrateOnStart()));

        Mailer mailer = new Mailer(configuration.getSmtp(), configuration.getFrom(),
                configuration.getPublicUrl().getHost(), clock);
        environment.lifecycle().manage(mailer);
        Templates templates = new Templates();
        InviteCalendar calendar = new InviteCalendar(configuration.getPublicUrl(), mailer.from().getAddress(),
                mailer.from().getPersonal());
        RecipientPreferences recipientPreferences = new RecipientPreferences(dataSource);
        MeetingMails meetingMails = new MeetingMails(templates, calendar,
                new UnsubscribeLinks(configuration.getPublicUrl(), configuration.getUnsubscribeKey()), clock,
                recipientPreferences);
        AccountMails accountMails = new AccountMails(templates, configuration.getPublicUrl());

        // Delivery log and durable tasks: the scheduler's client works before it starts, so the consumer can
        // schedule reminders and retries from its first event.
        Deliveries deliveries = new Deliveries(new DeliveryLog(dataSource), mailer, configuration.getDelivery(),
                clock, environment.metrics());
        RetryTask retryTask = new RetryTask(deliveries);
        MeetingPlans plans = new MeetingPlans(dataSource);
        // Reports to the api-server (gone push subscriptions, due reminders for the bell and browsers); managed
        // before the scheduler, so it closes after the last reminder run.
        KafkaReports reports = new KafkaReports(configuration.getKafka().getBootstrapServers(), clock);
        environment.lifecycle().manage(reports);
        Reminders reminders = new Reminders(plans, meetingMails, deliveries,
                Duration.ofMillis(configuration.getReminders().getLeadTime().toMilliseconds()), clock,
                environment.metrics())
                .reportingTo(reports);
        List<Task<?>> tasks = List.of(reminders.task(), retryTask.task());
        SchedulerManager scheduler = new SchedulerManager(dataSource, tasks, configuration.getReminders(),
                instanceName());
        reminders.attach(scheduler.client());
        retryTask.attach(scheduler.client());
        deliveries.setRetryScheduler(retryTask);
        environment.lifecycle().manage(scheduler);

        // Registered last: stopped first.
        KafkaSection kafka = configuration.getKafka();
        ConsumerSettings settings = ConsumerSettings.of(kafka.getBootstrapServers(), kafka.getGroup(),
                        List.of(Topics.MEETINGS, Topics.USERS, Topics.NOTIFICATIONS))
                .withRetries(kafka.getMaxAttempts(),
                        Duration.ofMillis(kafka.getRetryBackoff().toMilliseconds()),
                        Duration.ofMillis(kafka.getMaxRetryBackoff().toMilliseconds()))
                .splittingByKey(kafka.getHandlerThreads());
        WebPushConfiguration webPush = configuration.getWebPush();
        WebPushSender push = webPush.isEnabled() ? new WebPushSender(webPush.getPublicKey(), webPush.getPrivateKey(),
                webPush.getSubject(), Duration.ofSeconds(webPush.getTtl().toSeconds())) : null;
        NotificationHandler handler = new NotificationHandler(plans, meetingMails, accountMails, templates,
                deliveries, reminders, push, environment.metrics()).withPreferences(recipientPreferences)
                .allowingLoopbackHttpPush(webPush.isAllowLoopbackHttp());
        if (push != null) {
            handler.withPushExpiries(reports);
        }
        EventConsumer consumer = EventConsumer.create(settings, handler,
                new JdbcProcessedEvents(dataSource, WorkerMigrations.SCHEMA + ".processed_events", kafka.getGroup()),
                environment.metrics());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                consumer.start();
            }

            @Override
            public void stop() {
                consumer.stop();
            }
        });

        WorkerHealthChecks.register(environment, dataSource, consumer, mailer, scheduler);

        this.consumer = consumer;
        this.deliveries = deliveries;
        this.scheduler = scheduler;
    }

    /** Host name, pid and a random suffix: db-scheduler tells instances apart by it. */
    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public EventConsumer consumer() {
        return requireRunning(consumer);
    }

    public Deliveries deliveries() {
        return requireRunning(deliveries);
    }

    public SchedulerManager scheduler() {
        return requireRunning(scheduler);
    }

    private static <T> T requireRunning(T part) {
        if (part == null) {
            throw new IllegalStateException("notification-worker has not run yet");
        }
        return part;
    }
}
