package io.tribune.ops;

import io.tribune.platform.PlatformUrls;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the api-server's Dropwizard configuration for one {@code tribune up}: the URLs of the parts the platform
 * started (or the external ones), the ports, and JSON logs. The file documents nothing itself: every key is
 * explained in {@code api-server/config/api-server.example.yml}.
 */
final class ApiServerConfigWriter {

    private ApiServerConfigWriter() {
    }

    static Path write(Settings settings, PlatformUrls urls) {
        return write(settings, urls, null);
    }

    /** @param devMailboxUrl the embedded SMTP server's read API (dev mode: /dev/mailbox on), or null */
    static Path write(Settings settings, PlatformUrls urls, String devMailboxUrl) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of(ServiceConfigFiles.connector(settings.ports().api())));
        server.put("adminConnectors", List.of(ServiceConfigFiles.connector(settings.ports().admin())));
        server.put("requestLog", Map.of("appenders", List.of(Map.of(
                "type", "file",
                "currentLogFilename", settings.logDir().resolve("api-server-access.log").toString(),
                "archive", false,
                "layout", Map.of("type", "access-json")))));
        root.put("server", server);

        root.put("database", ServiceConfigFiles.database(urls, 0));
        root.put("migrateOnStart", true);
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "clientId", "api-server"));
        root.put("redis", Map.of("uri", urls.redisUri()));
        root.put("outbox", Map.of("pollInterval", "250 milliseconds", "batchSize", 500));
        root.put("publicUrl", publicUrl(settings));
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("signingKeysFile", Secrets.signingKeysFile(settings).toString());
        auth.put("bootstrapAdmin", Map.of("email", Secrets.ADMIN_EMAIL, "password", Secrets.adminPassword(settings),
                "username", "admin"));
        root.put("auth", auth);
        // Town-hall audiences get cookies signed with the CDN key the origin trusts (BroadcastConfigWriter).
        root.put("meetings", Map.of("passcodeKeyFile", Secrets.passcodeKeyFile(settings).toString(),
                "signalingUrl", SfuConfigWriter.signalingUrl(settings),
                "hlsBaseUrl", BroadcastConfigWriter.originUrl(settings),
                "playback", Map.of("keyPairId", BroadcastConfigWriter.CDN_KEY_ID,
                        "privateKeyFile", BroadcastConfigWriter.cdnPrivateKey(settings).toString())));
        // Files shared in meetings: the platform's S3 (embedded S3Proxy, or the one tribune.yml names).
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("bucket", "tribune-files");
        files.put("endpoint", urls.s3Endpoint());
        files.put("region", urls.s3Region());
        files.put("accessKey", urls.s3AccessKey());
        files.put("secretKey", urls.s3SecretKey());
        root.put("files", files);
        // Unsubscribe links are signed by the notification-worker with the same key; the dev mailbox in dev mode.
        Map<String, Object> notifications = new LinkedHashMap<>();
        notifications.put("unsubscribeKey", Secrets.unsubscribeKey(settings));
        notifications.put("vapidPublicKey", Secrets.vapidKeys(settings)[0]);
        if (devMailboxUrl != null) {
            notifications.put("devMailboxUrl", devMailboxUrl);
        }
        root.put("notifications", notifications);
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());

        // It holds the database and admin passwords.
        return ServiceConfigFiles.write(settings, "api-server.yml", root);
    }

    static String publicUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().api();
    }
}
