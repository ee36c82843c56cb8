package com.casarerpa.orchestrator.cli;

import picocli.CommandLine.Command;

/** {@code casare-rpa orchestrator …}: the server and its administration commands. */
@Command(
        name = "orchestrator",
        description = "Run and administer the CasareRPA Orchestrator.",
        mixinStandardHelpOptions = true,
        versionProvider = com.casarerpa.common.cli.Version.class,
        subcommands = {
            StartCommand.class,
            StatusCommand.class,
            StopCommand.class,
            InitDbCommand.class,
            MigrateCommand.class,
            DbStatusCommand.class,
            CheckDbCommand.class,
            ConfigCommand.class,
            CreateApiKeyCommand.class,
            ListApiKeysCommand.class,
            RevokeApiKeyCommand.class,
            CreateUserCommand.class,
            ListUsersCommand.class,
            UserStatusCommands.Disable.class,
            UserStatusCommands.Enable.class,
            ResetPasswordCommand.class,
            FoldersCommand.class,
            ServiceAccountsCommand.class,
            DeployCommand.class,
            ExportWorkflowsCommand.class,
            ExportWorkflowCommand.class,
            ImportWorkflowsCommand.class,
            ExportJobsCommand.class,
            SchedulesCommand.class,
            TestCronCommand.class,
            BackupCommand.class,
            RestoreCommand.class
        })
public final class OrchestratorCommand {}
