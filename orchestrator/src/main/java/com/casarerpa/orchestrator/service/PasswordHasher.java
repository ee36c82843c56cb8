package com.casarerpa.orchestrator.service;

import com.password4j.Argon2Function;
import com.password4j.Hash;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Password hashes: Argon2id (password4j) with the configured cost, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) that carry their own parameters, so a hash
 * made with other parameters still verifies and is then made anew ({@link #outdated}).
 *
 * <p>{@link #spend} does the work of one check for a user who does not exist, so that a sign-in
 * takes as long whether the username is known or not.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /** The cost of one hash: memory in KiB, passes, lanes. */
    public record Params(int memoryKib, int iterations, int parallelism) {}

    private final Argon2Function function;
    private final String dummyHash;

    public PasswordHasher(Params params) {
        this.function = Argon2Function.getInstance(params.memoryKib(), params.iterations(), params.parallelism(), HASH_BYTES,
                Argon2.ID);
        byte[] unguessable = new byte[16];
        new SecureRandom().nextBytes(unguessable);
        this.dummyHash = hash(HexFormat.of().formatHex(unguessable));
    }

    /** A new hash of {@code password}, with a new random salt. */
    public String hash(CharSequence password) {
        Hash hash = Password.hash(password).addRandomSalt(SALT_BYTES).with(function);
        return hash.getResult();
    }

    /** True when {@code password} is the one {@code storedHash} was made from; false for a hash that is not Argon2. */
    public boolean matches(CharSequence password, String storedHash) {
        Argon2Function stored;
        try {
            stored = Argon2Function.getInstanceFromHash(storedHash);
        } catch (RuntimeException notArgon2) {
            spend(password);
            return false;
        }
        return stored.check(password, storedHash);
    }

    /** True when {@code storedHash} was made with other parameters than this hasher's. */
    public boolean outdated(String storedHash) {
        try {
            Argon2Function stored = Argon2Function.getInstanceFromHash(storedHash);
            return stored.getMemory() != function.getMemory() || stored.getIterations() != function.getIterations()
                    || stored.getParallelism() != function.getParallelism() || stored.getVariant() != Argon2.ID
                    || stored.getOutputLength() != HASH_BYTES || stored.getVersion() != function.getVersion();
        } catch (RuntimeException notArgon2) {
            return true;
        }
    }

    /** The cost of one check, spent on nothing: for an unknown user, a locked or disabled account. */
    public void spend(CharSequence password) {
        function.check(password, dummyHash);
    }
}
