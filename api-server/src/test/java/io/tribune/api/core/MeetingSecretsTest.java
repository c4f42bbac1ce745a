package io.tribune.api.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeetingSecretsTest {

    @TempDir
    Path dir;

    private static MeetingSecrets secrets(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return MeetingSecrets.fromKey(key);
    }

    @Test
    void acceptsTheRightPasscodeAndRejectsOthers() {
        MeetingSecrets secrets = secrets(1);
        byte[] digest = secrets.passcodeDigest("meeting-a", "123456");

        assertThat(secrets.passcodeMatches("meeting-a", "123456", digest)).isTrue();
        assertThat(secrets.passcodeMatches("meeting-a", "123457", digest)).isFalse();
        assertThat(secrets.passcodeMatches("meeting-a", "", digest)).isFalse();
        assertThat(secrets.passcodeMatches("meeting-a", null, digest)).isFalse();
    }

    @Test
    void bindsDigestsToTheMeetingAndTheServerKey() {
        byte[] digest = secrets(1).passcodeDigest("meeting-a", "123456");

        assertThat(secrets(1).passcodeMatches("meeting-b", "123456", digest)).isFalse();
        assertThat(secrets(2).passcodeMatches("meeting-a", "123456", digest)).isFalse();
        assertThat(digest).hasSize(32).isNotEqualTo("123456".getBytes());
    }

    @Test
    void sealsAndOpensWithTheSameContextOnly() {
        MeetingSecrets secrets = secrets(1);
        byte[] sealed = secrets.seal("secret passcode", "meeting-a");

        assertThat(secrets.open(sealed, "meeting-a")).isEqualTo("secret passcode");
        assertThat(new String(sealed)).doesNotContain("secret");
        assertThatThrownBy(() -> secrets.open(sealed, "meeting-b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secrets(2).open(sealed, "meeting-a")).isInstanceOf(IllegalStateException.class);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> secrets.open(tampered, "meeting-a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        MeetingSecrets secrets = secrets(1);

        assertThat(secrets.seal("x", "m")).isNotEqualTo(secrets.seal("x", "m"));
    }

    @Test
    void createsAMissingKeyFileWithOwnerOnlyPermissionsAndReusesIt() throws IOException {
        Path file = dir.resolve("keys").resolve("meetings.key");
        MeetingSecrets first = MeetingSecrets.loadOrCreate(file);
        byte[] digest = first.passcodeDigest("m", "1234");

        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MeetingSecrets.loadOrCreate(file).passcodeMatches("m", "1234", digest)).isTrue();
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.toList()).containsExactly(file);
        }
    }

    @Test
    void refusesAKeyFileOfTheWrongSize() throws IOException {
        Path file = dir.resolve("short.key");
        Files.write(file, new byte[16]);

        assertThatThrownBy(() -> MeetingSecrets.loadOrCreate(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exactly 32");
    }

    @Test
    void findsTokensByADigestThatIsNotTheToken() {
        MeetingSecrets secrets = secrets(1);

        assertThat(secrets.tokenDigest("abc")).isEqualTo(secrets.tokenDigest("abc"))
                .isNotEqualTo(secrets.tokenDigest("abd"));
    }
}
