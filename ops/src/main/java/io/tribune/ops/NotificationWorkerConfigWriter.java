package io.tribune.ops;

import io.tribune.platform.PlatformUrls;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the notification worker's configuration for one {@code tribune up}: the platform's URLs, the dev SMTP
 * server, the api-server's public URL, JSON logs. Every key is explained in
 * {@code notification-worker/config/notification-worker.example.yml}.
 */
final class NotificationWorkerConfigWriter {

    private NotificationWorkerConfigWriter() {
    }

    static Path write(Settings settings, PlatformUrls urls, String smtpHost, int smtpPort) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", ServiceConfigFiles.adminOnlyServer(settings.ports().notifyAdmin()));
        root.put("database", ServiceConfigFiles.database(urls, 16));
        root.put("migrateOnStart", true);
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "group", "notification-worker"));
        root.put("smtp", Map.of("host", smtpHost, "port", smtpPort, "security", "plain"));
        root.put("publicUrl", ApiServerConfigWriter.publicUrl(settings));
        root.put("from", "Tribune <no-reply@tribune.local>");
        root.put("unsubscribeKey", Secrets.unsubscribeKey(settings));
        String[] vapid = Secrets.vapidKeys(settings);
        root.put("webPush", Map.of("publicKey", vapid[0], "privateKey", vapid[1]));
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());

        return ServiceConfigFiles.write(settings, "notification-worker.yml", root);
    }
}
