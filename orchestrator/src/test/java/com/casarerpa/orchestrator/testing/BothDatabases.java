package com.casarerpa.orchestrator.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every test of the annotated class twice, on PostgreSQL and then on H2: the class is a
 * parameterized class whose one parameter is a {@link TestDatabase}, taken in a field
 * ({@code @Parameter TestDatabase database;}). A test for one database only says so with
 * {@link OnlyOn} and is reported as skipped on the other.
 *
 * <p>Names: JUnit shows each run as {@code [postgresql]} or {@code [h2]} above its tests (IDE,
 * console launcher); Surefire's files and summary number the runs instead, {@code Contract[1]} is
 * PostgreSQL and {@code Contract[2]} H2 (the order of {@link TestDatabase}).
 *
 * <p>Per test, make the database in {@code @BeforeEach} from the field
 * ({@link TestDatabase#migrated}, {@link TestDatabase#empty}). What lives for all the tests of a
 * run (a server) starts in a {@code @BeforeParameterizedClassInvocation} method, which gets the
 * database as its argument, and stops in {@code @AfterParameterizedClassInvocation}; a
 * {@code @BeforeAll} method runs only once, for both runs, before the field is set.
 *
 * <pre>{@code
 * class SomeStoreTest {
 *     @Nested
 *     @BothDatabases
 *     class Contract {
 *         @Parameter
 *         TestDatabase database;
 *         @TempDir
 *         Path dir;
 *         MigratedDatabase db;
 *
 *         @BeforeEach
 *         void open() {
 *             db = database.migrated(dir);
 *         }
 *
 *         @AfterEach
 *         void close() {
 *             db.close();
 *         }
 *         ...
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedClass(name = "[{0}]")
@EnumSource(TestDatabase.class)
@ExtendWith(OnlyOn.Condition.class)
public @interface BothDatabases {}
