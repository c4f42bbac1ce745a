package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamKeysTest {

    @Test
    void acceptsTheKeyAloneOrInSrtAccessControlForm() {
        assertThat(StreamKeys.accepts("secret-key-1", "townhall", "secret-key-1")).isTrue();
        assertThat(StreamKeys.accepts("#!::r=townhall,s=secret-key-1", "townhall", "secret-key-1")).isTrue();
        assertThat(StreamKeys.accepts("#!::s=secret-key-1,m=publish", "townhall", "secret-key-1")).isTrue();
    }

    @Test
    void refusesWrongMissingOrMisdirectedKeys() {
        assertThat(StreamKeys.accepts("secret-key-2", "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts(null, "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts("", "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts("#!::r=other,s=secret-key-1", "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts("#!::r=townhall", "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts("#!::garbage", "townhall", "secret-key-1")).isFalse();
        assertThat(StreamKeys.accepts("anything", "townhall", "")).as("no key configured: nobody").isFalse();
    }
}
