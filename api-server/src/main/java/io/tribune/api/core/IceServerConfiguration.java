package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code meetings.iceServers}, shaped like the browser's {@code RTCIceServer}: STUN/TURN URLs and,
 * for TURN, static credentials. Mutable only while the configuration is being read.
 */
public class IceServerConfiguration {

    @NotEmpty
    @Size(max = 8)
    private List<@Pattern(regexp = "^(stun|stuns|turn|turns):[^\\s]+$",
            message = "must be a stun:, stuns:, turn: or turns: URL") String> urls = new ArrayList<>();

    @Size(max = 256)
    private String username;

    @Size(max = 256)
    private String credential;

    @JsonProperty
    public List<String> getUrls() {
        return urls;
    }

    @JsonProperty
    public void setUrls(List<String> urls) {
        this.urls = urls;
    }

    @JsonProperty
    public String getUsername() {
        return username;
    }

    @JsonProperty
    public void setUsername(String username) {
        this.username = username;
    }

    @JsonProperty
    public String getCredential() {
        return credential;
    }

    @JsonProperty
    public void setCredential(String credential) {
        this.credential = credential;
    }
}
