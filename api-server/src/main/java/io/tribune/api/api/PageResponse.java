package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One page of a list: {@code page} counts from 1, {@code total} is the number of items on all pages. Immutable. */
public record PageResponse<T>(
        @JsonProperty("items") List<T> items,
        @JsonProperty("page") int page,
        @JsonProperty("size") int size,
        @JsonProperty("total") long total) {

    public PageResponse {
        items = List.copyOf(items);
    }
}
