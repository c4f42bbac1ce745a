package io.tribune.api.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import io.tribune.api.ApiServerConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * {@code db migrate <config.yml>}: applies the Flyway migrations and exits; {@code db info <config.yml>}: lists
 * them with their state. For deployments that run migrations as a separate step ({@code migrateOnStart: false}).
 */
public final class DbCommand extends ConfiguredCommand<ApiServerConfiguration> {

    private static final String ACTION = "db_action";

    public DbCommand() {
        super("db", "Database schema: 'migrate' applies pending migrations, 'info' lists them");
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest(ACTION).title("actions");
        addFileArgument(actions.addParser("migrate").help("apply pending migrations"));
        addFileArgument(actions.addParser("info").help("list migrations and their state"));
    }

    @Override
    protected void run(Bootstrap<ApiServerConfiguration> bootstrap, Namespace namespace,
                       ApiServerConfiguration configuration) throws Exception {
        ManagedDataSource dataSource = configuration.getDatabase().build(new MetricRegistry(), "db-command");
        try {
            Flyway flyway = Migrations.flyway(dataSource);
            if ("info".equals(namespace.getString(ACTION))) {
                for (MigrationInfo info : flyway.info().all()) {
                    System.out.printf("%-8s %-40s %-10s %s%n", info.getVersion(), info.getDescription(),
                            info.getState().getDisplayName(), info.getInstalledOn() == null ? "" : info.getInstalledOn());
                }
            } else {
                MigrateResult result = flyway.migrate();
                System.out.printf("Applied %d migration(s); schema version %s%n", result.migrationsExecuted,
                        result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion);
            }
        } finally {
            dataSource.stop();
        }
    }
}
