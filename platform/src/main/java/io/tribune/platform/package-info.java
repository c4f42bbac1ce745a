/**
 * The embedded platform: real PostgreSQL, Kafka, Redis and an S3 API on one machine, for {@code tribune up} (data
 * kept in a data directory across restarts) and for every service's integration tests (a temporary directory, free
 * ports).
 *
 * <pre>
 *   tribune up (ops/)            integration tests (*IT)
 *        |                               |
 *        v                               v
 *   EmbeddedPlatform.builder()    PlatformExtension  -- one EmbeddedPlatform per JVM, temp dir, free ports,
 *     .dataDir(.tribune/data)          |                 closed when JUnit's root context closes
 *     .postgresPort(5432) ...          |
 *        \______________  ____________/
 *                       \/
 *                EmbeddedPlatform.start()  -- checks fixed ports, then starts the parts in parallel
 *        ________________|________________________________________
 *       |                |                     |                  |
 *   PostgresComponent  KafkaComponent     RedisComponent     S3Component
 *   child process      in-process broker  child process      in-process S3Proxy
 *   (zonky binaries)   (KRaft, node 1)    (redis-server)     (filesystem blobs)
 *   dataDir/postgres   dataDir/kafka      dataDir/redis      dataDir/s3
 *        \________________|___________________|__________________/
 *                                   |
 *                             PlatformUrls  -- what services are configured with; an external part
 *                                              (Builder.externalKafka(...), ...) replaces the embedded one
 * </pre>
 *
 * <p>{@link io.tribune.platform.SmtpComponent} (GreenMail, in-process, messages in memory, an optional dev mailbox
 * page) stands beside the platform rather than in it: {@code tribune up} starts it next to the platform, and the
 * notification worker's tests start one of their own on a free port.
 *
 * <p>Every {@link io.tribune.platform.Component} binds 127.0.0.1 only, keeps its port across
 * {@code stop()}/{@code start()}, logs through SLF4J and is thread-safe. Child processes left behind by a killed JVM
 * are found through their pid files and stopped at the next start. Implementation helpers live in
 * {@code io.tribune.platform.internal} and are not API.
 */
package io.tribune.platform;
