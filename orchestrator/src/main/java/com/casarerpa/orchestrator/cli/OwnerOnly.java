package com.casarerpa.orchestrator.cli;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Permissions for the files {@code start} makes beside the server's (pid file, log, key hand-over): this account's only. */
final class OwnerOnly {
    static final String FILE = "rw-------";
    static final String DIRECTORY = "rwx------";

    private OwnerOnly() {}

    /** {@code permissions} as a creation attribute; none where the file system has no POSIX permissions. */
    static FileAttribute<?>[] attributes(String permissions) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
