package com.casarerpa.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseUrlMaskTest {
    @Test
    void the_password_of_the_user_info_is_masked() {
        assertThat(DatabaseUrlMask.mask("postgresql://casare:s3cr3t@db.internal:5432/casare"))
                .isEqualTo("postgresql://casare:****@db.internal:5432/casare");
        assertThat(DatabaseUrlMask.mask("jdbc:postgresql://casare:s3cr3t@db:5432/casare?sslmode=require"))
                .isEqualTo("jdbc:postgresql://casare:****@db:5432/casare?sslmode=require");
    }

    @Test
    void a_password_with_slashes_or_at_signs_is_masked_whole() {
        assertThat(DatabaseUrlMask.mask("postgresql://casare:pa/ss@w@rd@db:5432/casare"))
                .isEqualTo("postgresql://casare:****@db:5432/casare");
    }

    @Test
    void password_parameters_are_masked() {
        assertThat(DatabaseUrlMask.mask("jdbc:postgresql://db:5432/casare?user=casare&password=s3cr3t&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/casare?user=casare&password=****&sslmode=require");
        assertThat(DatabaseUrlMask.mask("postgresql://db/casare?sslpassword=k3y"))
                .isEqualTo("postgresql://db/casare?sslpassword=****");
        assertThat(DatabaseUrlMask.mask("jdbc:h2:file:./data/casare;USER=sa;PASSWORD=s3cr3t"))
                .isEqualTo("jdbc:h2:file:./data/casare;USER=sa;PASSWORD=****");
    }

    @Test
    void urls_without_a_password_are_shown_as_they_are() {
        assertThat(DatabaseUrlMask.mask("postgresql://casare@db:5432/casare")).isEqualTo("postgresql://casare@db:5432/casare");
        assertThat(DatabaseUrlMask.mask("postgresql://db:5432/casare")).isEqualTo("postgresql://db:5432/casare");
        assertThat(DatabaseUrlMask.mask("postgresql://db:5432/casare?options=a@b")).isEqualTo("postgresql://db:5432/casare?options=a@b");
    }
}
